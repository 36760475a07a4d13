package dev.ticketrush.hold;

import dev.ticketrush.config.AppConfig;
import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.order.TicketRepository;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Owns every seat status change: consumes {@link Addresses#SEATS_CMD} and runs the matching Lua script over
 * its own pipelined Redis connection. Also sweeps expired holds; concurrent sweeps on several nodes are safe
 * because each sweep is one atomic script keyed on Redis' clock.
 */
public final class HoldVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HoldVerticle.class);
  private static final int SWEEP_BATCH = 1000;

  private final AppConfig config;
  private final EventCatalog events;
  private final TicketRepository tickets;
  private RedisLink redis;
  private SeatStore store;
  private MessageConsumer<JsonObject> consumer;
  private long sweepTimer;
  private boolean sweeping;

  public HoldVerticle(AppConfig config, EventCatalog events, TicketRepository tickets) {
    this.config = config;
    this.events = events;
    this.tickets = tickets;
  }

  @Override
  public Future<?> start() {
    redis = new RedisLink(vertx, config.redisUrl());
    store = new SeatStore(redis, config.changeLogMaxLen(), tickets::soldSeats);
    consumer = vertx.eventBus().consumer(Addresses.SEATS_CMD, this::handle);
    sweepTimer = vertx.setPeriodic(config.sweepIntervalMs(), id -> sweep());
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    redis.close();
    return Future.succeededFuture();
  }

  private void handle(Message<JsonObject> msg) {
    JsonObject cmd = msg.body();
    long eventId = cmd.getLong("eventId");
    String user = cmd.getString("user");
    List<Integer> seats = HoldCommand.seats(cmd);
    Future<JsonObject> reply = switch (cmd.getString("op")) {
      case "hold" -> store.hold(eventId, user, seats, cmd.getLong("ttlMs"), cmd.getInteger("max"), cmd.getInteger("seatCount"))
          .map(SeatResult::toJson);
      case "release" -> store.release(eventId, user, seats.get(0)).map(SeatResult::toJson);
      case "pin" -> store.pin(eventId, user, seats, cmd.getLong("windowMs"), cmd.getInteger("seatCount")).map(SeatResult::toJson);
      case "unpin" -> store.unpin(eventId, user, seats).map(v -> SeatResult.of(SeatOutcome.OK).toJson());
      case "sell" -> store.sell(eventId, seats).map(v -> new SeatResult(SeatOutcome.OK, seats, 0, v).toJson());
      case "init" -> store.init(eventId).map(v -> SeatResult.of(SeatOutcome.OK).toJson());
      default -> Future.failedFuture("unknown op " + cmd.getString("op"));
    };
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        log.warn("seat command {} on event {} failed: {}", cmd.getString("op"), eventId, ar.cause().toString());
        msg.fail(503, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  private void sweep() {
    if (sweeping) {
      return; // a slow Redis must not pile up overlapping sweeps
    }
    sweeping = true;
    // One pipelined script call per event, all in flight at once.
    List<Future<Integer>> sweeps = new java.util.ArrayList<>();
    for (Event e : events.known()) {
      sweeps.add(store.sweep(e.id(), SWEEP_BATCH));
    }
    Future<?> all = Future.join(sweeps);
    all.onComplete(ar -> sweeping = false);
  }
}
