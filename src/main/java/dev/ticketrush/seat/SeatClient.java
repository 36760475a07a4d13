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
 * The {@link SeatService} as every caller sees it: each operation is one local request to {@link HoldVerticle}
 * at its own address with a typed record body (passed by reference through a local codec, never encoded).
 * Thread-safe: shared by every verticle of a node.
 */
public final class SeatClient implements SeatService {
  /** The codec HoldVerticle registers for the seat messages; local delivery only. */
  static final String CODEC = "seat-local";
  static final DeliveryOptions LOCAL = new DeliveryOptions().setCodecName(CODEC).setLocalOnly(true);

  private final EventBus bus;

  public SeatClient(Vertx vertx) {
    this.bus = vertx.eventBus();
  }

  private <T> Future<T> ask(String address, Object request) {
    return bus.<T>request(address, request, LOCAL).map(Message::body);
  }

  @Override
  public Future<Void> init(long eventId, SaleRules rules) {
    return ask(Addresses.SEAT_INIT, new SeatRequests.Init(eventId, rules)).mapEmpty();
  }

  @Override
  public Future<Void> applySaleRules(long eventId, SaleRules rules) {
    return ask(Addresses.SEAT_SALE_RULES, new SeatRequests.Rules(eventId, rules)).mapEmpty();
  }

  @Override
  public Future<SeatResult> hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount) {
    return ask(Addresses.SEAT_HOLD, new SeatRequests.Hold(eventId, user, List.copyOf(seats), ttlMs, maxPerUser, seatCount));
  }

  @Override
  public Future<SeatResult> best(long eventId, String user, int count, List<SeatArea> candidates, long ttlMs,
                                 int maxPerUser) {
    return ask(Addresses.SEAT_BEST,
        new SeatRequests.Best(eventId, user, count, List.copyOf(candidates), ttlMs, maxPerUser));
  }

  @Override
  public Future<SeatResult> release(long eventId, String user, int seat) {
    return ask(Addresses.SEAT_RELEASE, new SeatRequests.Release(eventId, user, seat));
  }

  @Override
  public Future<SeatResult> pin(long eventId, String user, List<Integer> seats, long windowMs, int seatCount,
                                String chargeKey) {
    return ask(Addresses.SEAT_PIN, new SeatRequests.Pin(eventId, user, List.copyOf(seats), windowMs, seatCount, chargeKey));
  }

  @Override
  public Future<SeatResult> renewPins(long eventId, String user, List<Integer> seats, long windowMs) {
    return ask(Addresses.SEAT_RENEW_PINS, new SeatRequests.RenewPins(eventId, user, List.copyOf(seats), windowMs));
  }

  @Override
  public Future<Void> unpin(long eventId, String user, List<Integer> seats) {
    return ask(Addresses.SEAT_UNPIN, new SeatRequests.Unpin(eventId, user, List.copyOf(seats))).mapEmpty();
  }

  @Override
  public Future<Long> sell(long eventId, String buyer, List<Integer> seats) {
    return ask(Addresses.SEAT_SELL, new SeatRequests.Sell(eventId, buyer, List.copyOf(seats)));
  }

  @Override
  public Future<Integer> restore(long eventId) {
    return ask(Addresses.SEAT_RESTORE, new SeatRequests.Restore(eventId));
  }

  @Override
  public Future<SeatSnapshot> snapshot(long eventId) {
    return ask(Addresses.SEAT_SNAPSHOT, new SeatRequests.Snapshot(eventId));
  }

  @Override
  public Future<List<SeatChange>> since(long eventId, long since, int maxChanges) {
    return this.<SeatRequests.Changes>ask(Addresses.SEAT_SINCE, new SeatRequests.Since(eventId, since, maxChanges))
        .map(SeatRequests.Changes::changes);
  }

  @Override
  public Future<Long> raiseVersionFloor(long eventId, long floor) {
    return ask(Addresses.SEAT_VERSION_FLOOR, new SeatRequests.VersionFloor(eventId, floor));
  }

  @Override
  public Future<List<HeldSeat>> mine(long eventId, String user) {
    return this.<SeatRequests.Holds>ask(Addresses.SEAT_MINE, new SeatRequests.Mine(eventId, user)).map(SeatRequests.Holds::seats);
  }
}
