package dev.ticketrush.seat;

import dev.ticketrush.event.SeatArea;
import io.vertx.core.Future;

import java.util.List;

/**
 * Every seat operation, declared once: a record with what the operation needs, and the {@link SeatScripts}
 * method (so the Lua script) that decides it. {@link SeatService} sends each as the body of a local request to
 * the one address {@code Addresses.SEAT_COMMANDS} (by reference, through a local codec: never encoded);
 * {@link HoldVerticle} runs it on its event loop and replies with the result.
 *
 * <p>Adding an operation: its Lua script, its {@code SeatScripts} method, a record here, and the
 * {@code SeatService} method that sends it. Sealed: the records below are every command there is.
 *
 * @param <R> what the operation answers (the reply body; may be null)
 */
sealed interface SeatCommand<R> {
  /** Runs the operation; called by HoldVerticle only, on its event loop. */
  Future<R> run(SeatScripts scripts);

  /** The event it concerns (every operation concerns one). */
  long eventId();

  /** Whether the operation is a sign of life of its event (see infra.LiveEvents); the reconciler's are not. */
  default boolean activity() {
    return true;
  }

  record Init(long eventId, SaleRules rules) implements SeatCommand<Void> {
    @Override
    public Future<Void> run(SeatScripts scripts) {
      return scripts.init(eventId, rules);
    }
  }

  record ApplySaleRules(long eventId, SaleRules rules) implements SeatCommand<Void> {
    @Override
    public Future<Void> run(SeatScripts scripts) {
      return scripts.applySaleRules(eventId, rules);
    }
  }

  record Hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount, Access access)
      implements SeatCommand<SeatResult> {
    @Override
    public Future<SeatResult> run(SeatScripts scripts) {
      return scripts.hold(eventId, user, seats, ttlMs, maxPerUser, seatCount, access);
    }
  }

  record Best(long eventId, String user, int count, List<SeatArea> candidates, long ttlMs, int maxPerUser, Access access)
      implements SeatCommand<SeatResult> {
    @Override
    public Future<SeatResult> run(SeatScripts scripts) {
      return scripts.best(eventId, user, count, candidates, ttlMs, maxPerUser, access);
    }
  }

  record AddCodes(long eventId, List<AccessCodeStore.Stored> codes) implements SeatCommand<Void> {
    @Override
    public Future<Void> run(SeatScripts scripts) {
      return scripts.addCodes(eventId, codes);
    }
  }

  record Release(long eventId, String user, int seat) implements SeatCommand<SeatResult> {
    @Override
    public Future<SeatResult> run(SeatScripts scripts) {
      return scripts.release(eventId, user, seat);
    }
  }

  record Pin(long eventId, String user, List<Integer> seats, long windowMs, int seatCount, String chargeKey,
             String pinToken) implements SeatCommand<SeatResult> {
    @Override
    public Future<SeatResult> run(SeatScripts scripts) {
      return scripts.pin(eventId, user, seats, windowMs, seatCount, chargeKey, pinToken);
    }
  }

  record RenewPins(long eventId, String user, List<Integer> seats, long windowMs, String chargeKey) implements SeatCommand<SeatResult> {
    @Override
    public Future<SeatResult> run(SeatScripts scripts) {
      return scripts.renewPins(eventId, user, seats, windowMs, chargeKey);
    }
  }

  record Unpin(long eventId, String user, List<Integer> seats, String chargeKey, String pinToken)
      implements SeatCommand<Void> {
    @Override
    public Future<Void> run(SeatScripts scripts) {
      return scripts.unpin(eventId, user, seats, chargeKey, pinToken);
    }
  }

  record Sell(long eventId, String buyer, List<Integer> seats) implements SeatCommand<Long> {
    @Override
    public Future<Long> run(SeatScripts scripts) {
      return scripts.sell(eventId, buyer, seats);
    }
  }

  record Cancel(long eventId, String orderId, List<Integer> seats) implements SeatCommand<Integer> {
    @Override
    public Future<Integer> run(SeatScripts scripts) {
      return scripts.cancel(eventId, orderId, seats);
    }
  }

  record Transfer(long eventId, int seat, String from, String to) implements SeatCommand<Boolean> {
    @Override
    public Future<Boolean> run(SeatScripts scripts) {
      return scripts.transfer(eventId, seat, from, to);
    }
  }

  record Restore(long eventId) implements SeatCommand<Integer> {
    @Override
    public Future<Integer> run(SeatScripts scripts) {
      return scripts.restore(eventId);
    }

    @Override
    public boolean activity() {
      return false;
    }
  }

  /** An ended event gives its hot keys back (true), unless it has holds or pins (false). */
  record DropEnded(long eventId) implements SeatCommand<Boolean> {
    @Override
    public Future<Boolean> run(SeatScripts scripts) {
      return scripts.dropEnded(eventId);
    }

    @Override
    public boolean activity() {
      return false;
    }
  }

  record Snapshot(long eventId) implements SeatCommand<SeatSnapshot> {
    @Override
    public Future<SeatSnapshot> run(SeatScripts scripts) {
      return scripts.snapshot(eventId);
    }
  }

  /** Answers null when the log no longer has every change after {@code since}. */
  record Since(long eventId, long since, int maxChanges) implements SeatCommand<List<SeatChange>> {
    @Override
    public Future<List<SeatChange>> run(SeatScripts scripts) {
      return scripts.since(eventId, since, maxChanges);
    }
  }

  record Mine(long eventId, String user) implements SeatCommand<List<HeldSeat>> {
    @Override
    public Future<List<HeldSeat>> run(SeatScripts scripts) {
      return scripts.mine(eventId, user);
    }
  }

  record VersionFloor(long eventId, long floor) implements SeatCommand<Long> {
    @Override
    public Future<Long> run(SeatScripts scripts) {
      return scripts.raiseVersionFloor(eventId, floor);
    }
  }
}
