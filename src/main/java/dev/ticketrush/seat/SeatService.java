package dev.ticketrush.seat;

import dev.ticketrush.event.SeatArea;
import io.vertx.core.Future;

import java.util.List;

/**
 * Every seat operation of the service: the one way into seat state. Served by {@link HoldVerticle} (the only
 * code that runs seat-writing Lua) over the event bus; callers use a {@link SeatClient}. Each write is one
 * atomic script that checks state and owner, changes it, bumps the event's version by one per seat and logs
 * the change. If Redis lost the event's data, the first operation that notices restores the sold seats from
 * PostgreSQL (once per event, whoever asks first) before it runs.
 */
public interface SeatService {
  /** Starts the event's version counter (idempotent) and stores the sale's rules. */
  Future<Void> init(long eventId, SaleRules rules);

  /** The sale's rules changed: every node's next hold decides by them (an older revision is ignored). */
  Future<Void> applySaleRules(long eventId, SaleRules rules);

  /**
   * All or nothing: {@code HELD}, {@code SEAT_UNAVAILABLE} (with the conflicting seats), {@code HOLD_LIMIT}, or
   * one of the sale's refusals: {@code TICKET_LIMIT} (seats: the number the caller may still take),
   * {@code SALE_NOT_OPEN} ({@code expiresAt}: when it opens), {@code SALE_PAUSED}, {@code SALE_CLOSED}.
   */
  Future<SeatResult> hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount);

  /**
   * Best available: chooses and holds {@code count} free seats side by side in one row (any free places of a
   * standing area), atomically ({@code HELD} with the chosen seats), or {@code SEATS_NOT_AVAILABLE}, or a
   * refusal as {@link #hold} answers it. {@code candidates} are where to look, in order
   * ({@code Event.bestCandidates}).
   */
  Future<SeatResult> best(long eventId, String user, int count, List<SeatArea> candidates, long ttlMs, int maxPerUser);

  /** {@code RELEASED}, {@code HOLD_NOT_FOUND} or {@code SEAT_BEING_PAID}. */
  Future<SeatResult> release(long eventId, String user, int seat);

  /**
   * Pins the caller's holds for the payment under {@code chargeKey} (no release, no expiry for {@code windowMs}):
   * {@code PINNED}, {@code SEAT_SOLD}, {@code HOLD_MISSING}, {@code SEAT_PAID_BY_OTHER_ORDER},
   * {@code REQUEST_IN_PROGRESS} when they are pinned under this same charge key already, or {@code SALE_CLOSED}
   * after the sale's end.
   */
  Future<SeatResult> pin(long eventId, String user, List<Integer> seats, long windowMs, int seatCount, String chargeKey);

  /**
   * The payment-aware lease: keeps the pins of a pending payment alive for another {@code windowMs}.
   * {@code PINNED} when every seat is still held and pinned by the caller; {@code SEAT_SOLD} or
   * {@code HOLD_MISSING} (with the seats) when the payment can no longer become an order of these seats.
   */
  Future<SeatResult> renewPins(long eventId, String user, List<Integer> seats, long windowMs);

  /** Ends a pin; the holds keep their original expiry. */
  Future<Void> unpin(long eventId, String user, List<Integer> seats);

  /**
   * Marks seats sold (idempotent; PostgreSQL already committed them) and drops them from the buyer's holds.
   * The event version afterwards.
   */
  Future<Long> sell(long eventId, String buyer, List<Integer> seats);

  /** Makes Redis agree with PostgreSQL's sold seats; how many seats were newly marked sold. */
  Future<Integer> restore(long eventId);

  Future<SeatSnapshot> snapshot(long eventId);

  /** The changes after {@code since}, or null when the log no longer has them all (the reader needs a snapshot). */
  Future<List<SeatChange>> since(long eventId, long since, int maxChanges);

  /** The caller's live holds in seat order. */
  Future<List<HeldSeat>> mine(long eventId, String user);

  /**
   * Failover safety: when the event's version counter is below {@code floor} (the highest version the caller
   * has seen; a promoted replica may hold an older counter), restarts it above every version issued before and
   * restores the sold seats from PostgreSQL, as after data loss. Watchers see one gap and resync. The version
   * afterwards (unchanged when it was not below).
   */
  Future<Long> raiseVersionFloor(long eventId, long floor);
}
