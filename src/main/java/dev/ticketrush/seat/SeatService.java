package dev.ticketrush.seat;

import dev.ticketrush.event.SeatArea;
import dev.ticketrush.infra.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

import java.util.List;

/**
 * Every seat operation of the service: the one way into seat state. Each method sends one {@link SeatCommand}
 * to {@link HoldVerticle} (the only code that runs seat-writing Lua) as a local request on
 * {@link Addresses#SEAT_COMMANDS}; the command record names the script method that decides it. Each write is
 * one atomic script that checks state and owner, changes it, bumps the event's version by one per seat and
 * logs the change. If Redis lost the event's data, the first operation that notices restores the sold seats
 * from PostgreSQL (once per event, whoever asks first) before it runs. Thread-safe: shared by every verticle
 * of a node.
 */
public final class SeatService {
  /** The codec HoldVerticle registers for seat commands and their replies; local delivery only. */
  static final String CODEC = "seat-local";
  static final DeliveryOptions LOCAL = new DeliveryOptions().setCodecName(CODEC).setLocalOnly(true);

  private final EventBus bus;

  public SeatService(Vertx vertx) {
    this.bus = vertx.eventBus();
  }

  private <R> Future<R> send(SeatCommand<R> command) {
    return bus.<R>request(Addresses.SEAT_COMMANDS, command, LOCAL).map(Message::body);
  }

  /** Starts the event's version counter (idempotent) and stores the sale's rules. */
  public Future<Void> init(long eventId, SaleRules rules) {
    return send(new SeatCommand.Init(eventId, rules));
  }

  /** The sale's rules changed: every node's next hold decides by them (an older revision is ignored). */
  public Future<Void> applySaleRules(long eventId, SaleRules rules) {
    return send(new SeatCommand.ApplySaleRules(eventId, rules));
  }

  /**
   * All or nothing: {@code HELD}, {@code SEAT_UNAVAILABLE} (with the conflicting seats), {@code HOLD_LIMIT}, or
   * one of the sale's refusals: {@code TICKET_LIMIT} (seats: the number the caller may still take),
   * {@code SALE_NOT_OPEN} ({@code expiresAt}: when it opens), {@code SALE_PAUSED}, {@code SALE_CLOSED}.
   */
  public Future<SeatResult> hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount) {
    return hold(eventId, user, seats, ttlMs, maxPerUser, seatCount, Access.NONE);
  }

  /**
   * A hold on an event with presale allocations: as {@link #hold}, and also {@code ACCESS_CODE_INVALID} (the code is
   * unknown or bound to another user; presenting an unbound one binds it to the caller) or {@code SEAT_RESERVED}
   * (with the seats reserved for an allocation the caller has no code of).
   */
  public Future<SeatResult> hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount,
                                 Access access) {
    return send(new SeatCommand.Hold(eventId, user, List.copyOf(seats), ttlMs, maxPerUser, seatCount, access));
  }

  /**
   * Best available: chooses and holds {@code count} free seats side by side in one row (any free places of a
   * standing area), atomically ({@code HELD} with the chosen seats), or {@code SEATS_NOT_AVAILABLE}, or a
   * refusal as {@link #hold} answers it. {@code candidates} are where to look, in order
   * ({@code Event.bestCandidates}).
   */
  public Future<SeatResult> best(long eventId, String user, int count, List<SeatArea> candidates, long ttlMs,
                                 int maxPerUser) {
    return best(eventId, user, count, candidates, ttlMs, maxPerUser, Access.NONE);
  }

  /** Best available that may choose seats reserved for the caller's allocation, never others' ({@link #hold}). */
  public Future<SeatResult> best(long eventId, String user, int count, List<SeatArea> candidates, long ttlMs,
                                 int maxPerUser, Access access) {
    return send(new SeatCommand.Best(eventId, user, count, List.copyOf(candidates), ttlMs, maxPerUser, access));
  }

  /** Adds newly minted access codes (already in PostgreSQL) to Redis' hot copy the hold scripts check. */
  public Future<Void> addCodes(long eventId, List<AccessCodeStore.Stored> codes) {
    return send(new SeatCommand.AddCodes(eventId, List.copyOf(codes)));
  }

  /** {@code RELEASED}, {@code HOLD_NOT_FOUND} or {@code SEAT_BEING_PAID}. */
  public Future<SeatResult> release(long eventId, String user, int seat) {
    return send(new SeatCommand.Release(eventId, user, seat));
  }

  /**
   * Pins the caller's holds for the payment under {@code chargeKey} (no release, no expiry for {@code windowMs}):
   * {@code PINNED}, {@code SEAT_SOLD}, {@code HOLD_MISSING}, {@code SEAT_PAID_BY_OTHER_ORDER},
   * {@code REQUEST_IN_PROGRESS} when they are pinned under this same charge key already, or {@code SALE_CLOSED}
   * after the sale's end. {@code pinToken} names this one request's pins (see {@link #unpin}).
   */
  public Future<SeatResult> pin(long eventId, String user, List<Integer> seats, long windowMs, int seatCount, String chargeKey,
                                String pinToken) {
    return send(new SeatCommand.Pin(eventId, user, List.copyOf(seats), windowMs, seatCount, chargeKey, pinToken));
  }

  /**
   * The payment-aware lease: keeps the pins of a pending payment alive for another {@code windowMs}.
   * {@code PINNED} when every seat is still held and pinned by the caller; {@code SEAT_SOLD} or
   * {@code HOLD_MISSING} (with the seats) when the payment can no longer become an order of these seats
   * (including seats pinned under another charge key: a purchase renews only its own pins).
   */
  public Future<SeatResult> renewPins(long eventId, String user, List<Integer> seats, long windowMs, String chargeKey) {
    return send(new SeatCommand.RenewPins(eventId, user, List.copyOf(seats), windowMs, chargeKey));
  }

  /**
   * Ends the pins made under {@code chargeKey} (never another purchase's); the holds keep their original expiry.
   * With a {@code pinToken}, only the pins made by the request that pinned with it ("" for every pin of the key).
   */
  public Future<Void> unpin(long eventId, String user, List<Integer> seats, String chargeKey, String pinToken) {
    return send(new SeatCommand.Unpin(eventId, user, List.copyOf(seats), chargeKey, pinToken));
  }

  /**
   * Marks seats sold (idempotent; PostgreSQL already committed them) and drops them from the buyer's holds.
   * The event version afterwards.
   */
  public Future<Long> sell(long eventId, String buyer, List<Integer> seats) {
    return send(new SeatCommand.Sell(eventId, buyer, List.copyOf(seats)));
  }

  /**
   * Puts the seats of a cancelled order back on sale once PostgreSQL committed the cancellation: each seat still
   * sold turns AVAILABLE for every watcher and stops counting toward its buyer's maxTicketsPerUser. Idempotent
   * per order (a second call, even after the seat was sold again, changes nothing). How many seats came back.
   */
  public Future<Integer> cancel(long eventId, String orderId, List<Integer> seats) {
    return send(new SeatCommand.Cancel(eventId, orderId, List.copyOf(seats)));
  }

  /**
   * A ticket moved from {@code from} to {@code to} (committed in PostgreSQL): the seat counts toward the receiver's
   * maxTicketsPerUser and no longer toward the giver's. Idempotent; true when it moved the count.
   */
  public Future<Boolean> transfer(long eventId, int seat, String from, String to) {
    return send(new SeatCommand.Transfer(eventId, seat, from, to));
  }

  /** Makes Redis agree with PostgreSQL's sold seats; how many seats were newly marked sold. */
  public Future<Integer> restore(long eventId) {
    return send(new SeatCommand.Restore(eventId));
  }

  /** Drops an ended event's hot keys (rebuilt from PostgreSQL on demand); false when it still has holds or pins. */
  public Future<Boolean> dropEnded(long eventId) {
    return send(new SeatCommand.DropEnded(eventId));
  }

  public Future<SeatSnapshot> snapshot(long eventId) {
    return send(new SeatCommand.Snapshot(eventId));
  }

  /** The changes after {@code since}, or null when the log no longer has them all (the reader needs a snapshot). */
  public Future<List<SeatChange>> since(long eventId, long since, int maxChanges) {
    return send(new SeatCommand.Since(eventId, since, maxChanges));
  }

  /** The caller's live holds in seat order. */
  public Future<List<HeldSeat>> mine(long eventId, String user) {
    return send(new SeatCommand.Mine(eventId, user));
  }

  /**
   * Failover safety: when the event's version counter is below {@code floor} (the highest version the caller
   * has seen; a promoted replica may hold an older counter), restarts it above every version issued before and
   * restores the sold seats from PostgreSQL, as after data loss. Watchers see one gap and resync. The version
   * afterwards (unchanged when it was not below).
   */
  public Future<Long> raiseVersionFloor(long eventId, long floor) {
    return send(new SeatCommand.VersionFloor(eventId, floor));
  }
}
