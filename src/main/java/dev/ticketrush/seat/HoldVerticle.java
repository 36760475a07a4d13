package dev.ticketrush.seat;

import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.LocalOnlyCodec;
import dev.ticketrush.infra.PeriodicJob;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The seat service: the only code that changes seat state. Serves every {@link SeatService} operation at its
 * own event-bus address and runs the matching Lua script over one pipelined Redis connection. Also sweeps
 * expired holds of the events that have some (one index of due work for the whole service, sweep-due.lua);
 * concurrent sweeps on several nodes are safe because each sweep is one atomic script keyed on Redis' clock.
 * One instance per node.
 */
public final class HoldVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HoldVerticle.class);
  private static final int SWEEP_BATCH = 1000;
  /** Events swept per pass at most; more due ones wait for the next pass (they stay due). */
  private static final int SWEEP_EVENTS = 1000;

  private final RedisEndpoint redisEndpoint;
  private final int logMaxLen;
  private final long sweepIntervalMs;
  private final EventCatalog events;
  private final SoldSeats sold;
  private final MeterRegistry metrics;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private RedisLink redis;
  private SeatScripts scripts;
  private PeriodicJob sweeper;

  public HoldVerticle(RedisEndpoint redisEndpoint, int logMaxLen, long sweepIntervalMs, EventCatalog events, SoldSeats sold,
                      MeterRegistry metrics) {
    this.redisEndpoint = redisEndpoint;
    this.logMaxLen = logMaxLen;
    this.sweepIntervalMs = sweepIntervalMs;
    this.events = events;
    this.sold = sold;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    redis = new RedisLink(vertx, redisEndpoint);
    // A restore writes back the sale's rules as PostgreSQL has them now (not this node's cached copy).
    scripts = new SeatScripts(redis, logMaxLen, sold,
        id -> events.repository().find(id).map(e -> e == null ? SaleRules.OPEN : SaleRules.of(e)), metrics);
    vertx.eventBus().registerCodec(new LocalOnlyCodec<>(SeatClient.CODEC));
    serve(Addresses.SEAT_INIT, (SeatRequests.Init r) -> scripts.init(r.eventId(), r.rules()));
    serve(Addresses.SEAT_SALE_RULES, (SeatRequests.Rules r) -> scripts.applySaleRules(r.eventId(), r.rules()));
    serve(Addresses.SEAT_HOLD, (SeatRequests.Hold r) ->
        scripts.hold(r.eventId(), r.user(), r.seats(), r.ttlMs(), r.maxPerUser(), r.seatCount()));
    serve(Addresses.SEAT_BEST, (SeatRequests.Best r) ->
        scripts.best(r.eventId(), r.user(), r.count(), r.candidates(), r.ttlMs(), r.maxPerUser()));
    serve(Addresses.SEAT_RELEASE, (SeatRequests.Release r) -> scripts.release(r.eventId(), r.user(), r.seat()));
    serve(Addresses.SEAT_PIN, (SeatRequests.Pin r) ->
        scripts.pin(r.eventId(), r.user(), r.seats(), r.windowMs(), r.seatCount(), r.chargeKey()));
    serve(Addresses.SEAT_RENEW_PINS, (SeatRequests.RenewPins r) ->
        scripts.renewPins(r.eventId(), r.user(), r.seats(), r.windowMs()));
    serve(Addresses.SEAT_UNPIN, (SeatRequests.Unpin r) -> scripts.unpin(r.eventId(), r.user(), r.seats()));
    serve(Addresses.SEAT_SELL, (SeatRequests.Sell r) -> scripts.sell(r.eventId(), r.buyer(), r.seats()));
    serve(Addresses.SEAT_RESTORE, (SeatRequests.Restore r) -> scripts.restore(r.eventId()));
    serve(Addresses.SEAT_SNAPSHOT, (SeatRequests.Snapshot r) -> scripts.snapshot(r.eventId()));
    serve(Addresses.SEAT_SINCE, (SeatRequests.Since r) ->
        scripts.since(r.eventId(), r.since(), r.maxChanges()).map(SeatRequests.Changes::new));
    serve(Addresses.SEAT_MINE, (SeatRequests.Mine r) -> scripts.mine(r.eventId(), r.user()).map(SeatRequests.Holds::new));
    serve(Addresses.SEAT_VERSION_FLOOR, (SeatRequests.VersionFloor r) -> scripts.raiseVersionFloor(r.eventId(), r.floor()));
    List<Long> known = new ArrayList<>();
    events.known().forEach(e -> known.add(e.id()));
    scripts.markAllDue(known).onFailure(err -> log.warn("could not mark the known events for sweeping: {}", err.toString()));
    sweeper = new PeriodicJob(vertx, "sweep", sweepIntervalMs, this::sweep).start();
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    sweeper.stop();
    consumers.forEach(MessageConsumer::unregister);
    vertx.eventBus().unregisterCodec(SeatClient.CODEC);
    redis.close();
    return Future.succeededFuture();
  }

  private <T> void serve(String address, Function<T, Future<?>> operation) {
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<T>localConsumer(address, (Message<T> msg) -> operation.apply(msg.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result(), SeatClient.LOCAL);
      } else {
        log.warn("seat operation {} failed: {}", address, ar.cause().toString());
        msg.fail(503, String.valueOf(ar.cause().getMessage()));
      }
    })));
  }

  /** Only the events the index says are due (see sweep-due.lua), one pipelined script call each. */
  private Future<?> sweep() {
    return scripts.sweepDue(SWEEP_EVENTS, SWEEP_BATCH);
  }
}
