package dev.ticketrush.seat;

import dev.ticketrush.outcome.Outcome;

import java.util.List;

/**
 * A seat script's decision: the outcome, the seats it concerns (the conflicting ones when refused), the
 * earliest expiry (ms since epoch, Redis clock) and the event version after the change.
 */
public record SeatResult(Outcome outcome, List<Integer> seats, long expiresAt, long version) {

  static SeatResult of(Outcome outcome, List<Integer> seats) {
    return new SeatResult(outcome, List.copyOf(seats), 0, 0);
  }

  /** True when the operation did what was asked (held, released, pinned). */
  public boolean ok() {
    return done(outcome);
  }

  /** The outcomes of a seat operation that did what was asked. */
  static boolean done(Outcome outcome) {
    return outcome == Outcome.HELD || outcome == Outcome.RELEASED || outcome == Outcome.PINNED;
  }
}
