package dev.ticketrush.seat;

import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.LiveEvents;
import dev.ticketrush.infra.LocalOnlyCodec;
import dev.ticketrush.infra.PeriodicJob;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The seat service: the only code that changes seat state. Serves every {@link SeatService} operation: runs each
 * {@link SeatCommand} that arrives on {@link Addresses#SEAT_COMMANDS} (so its Lua script) over one pipelined
 * Redis connection. Also sweeps expired holds of the events that have some (one index of due work for the whole
 * service, sweep-due.lua); concurrent sweeps on several nodes are safe because each sweep is one atomic script
 * keyed on Redis' clock. One instance per node.
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
  private final AccessCodeStore codes;
  private final MeterRegistry metrics;
  private final long liveGraceMs;
  private LiveEvents live;
  private MessageConsumer<SeatCommand<?>> commands;
  private RedisLink redis;
  private SeatScripts scripts;
  private PeriodicJob sweeper;

  /** @param liveGraceMs how long a seat operation keeps its event live (see {@link LiveEvents}) */
  public HoldVerticle(RedisEndpoint redisEndpoint, int logMaxLen, long sweepIntervalMs, EventCatalog events, SoldSeats sold,
                      AccessCodeStore codes, MeterRegistry metrics, long liveGraceMs) {
    this.liveGraceMs = liveGraceMs;
    this.codes = codes;
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
    live = new LiveEvents(redis, liveGraceMs);
    // A restore writes back the sale's rules as PostgreSQL has them now (not this node's cached copy).
    scripts = new SeatScripts(redis, logMaxLen, sold,
        id -> events.repository().find(id).map(e -> e == null ? SaleRules.OPEN : SaleRules.of(e)), codes, metrics);
    vertx.eventBus().registerCodec(new LocalOnlyCodec<>(SeatService.CODEC));
    commands = vertx.eventBus().localConsumer(Addresses.SEAT_COMMANDS, this::serve);
    List<Long> known = new ArrayList<>();
    events.known().forEach(e -> known.add(e.id()));
    scripts.markAllDue(known).onFailure(err -> log.warn("could not mark the known events for sweeping: {}", err.toString()));
    live.adopt(known).onFailure(err -> log.warn("could not index the known events as live or ended: {}", err.toString()));
    sweeper = new PeriodicJob(vertx, "sweep", sweepIntervalMs, this::sweep).start();
    return commands.completion();
  }

  @Override
  public Future<?> stop() {
    sweeper.stop();
    commands.unregister();
    vertx.eventBus().unregisterCodec(SeatService.CODEC);
    redis.close();
    return Future.succeededFuture();
  }

  private void serve(Message<SeatCommand<?>> msg) {
    SeatCommand<?> command = msg.body();
    command.run(scripts).onComplete(ar -> {
      if (command.activity()) {
        live.touch(command.eventId()); // after the script, on the same connection: holds, orders, watcher reads
      }
      if (ar.succeeded()) {
        msg.reply(ar.result(), SeatService.LOCAL);
      } else {
        log.warn("seat command {} failed: {}", command.getClass().getSimpleName(), ar.cause().toString());
        msg.fail(503, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  /** Only the events the index says are due (see sweep-due.lua), one pipelined script call each. */
  private Future<?> sweep() {
    return scripts.sweepDue(SWEEP_EVENTS, SWEEP_BATCH);
  }
}
