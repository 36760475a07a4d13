package dev.ticketrush.queue;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.LiveEvents;
import dev.ticketrush.infra.PeriodicJob;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs admission rounds for the queue-enabled events that are live ({@link LiveEvents}: a join, a hold or an
 * order within the grace period; a round with people waiting or admitted keeps its event live), on every node:
 * the live set is read from Redis every {@link #QUIET_ROUND_MS}, so ended events cost nothing. The script decides
 * everything atomically, so concurrent admitters on several nodes share one rate and one {@code maxActive}
 * rather than multiplying them. Also publishes {@code {"type":"queue","serving":n}} on the local event bus
 * (for this node's WebSocket and bridge clients) whenever {@code serving} changes, and at least every second.
 */
public final class QueueAdmitter extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(QueueAdmitter.class);
  /** Rounds this often; the rate bucket's burst window (200 ms) covers a round that comes late. */
  static final long ROUND_MS = 100;
  /** Events with nobody waiting and nobody active are looked at only this often. */
  static final long QUIET_ROUND_MS = 500;
  static final long FRAME_MS = 1_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final RedisEndpoint redisEndpoint;
  private final EventCatalog events;
  private final MeterRegistry metrics;
  private final long liveGraceMs;
  private LiveEvents live;
  private List<Long> liveIds = List.of();
  private long liveReadAt;
  private final Map<Long, Tracked> tracked = new HashMap<>();
  private RedisLink redis;
  private WaitingRoom room;
  private PeriodicJob job;

  /** @param liveGraceMs how long an event stays live after its last activity (see {@link LiveEvents}) */
  public QueueAdmitter(RedisEndpoint redisEndpoint, EventCatalog events, MeterRegistry metrics, long liveGraceMs) {
    this.liveGraceMs = liveGraceMs;
    this.redisEndpoint = redisEndpoint;
    this.events = events;
    this.metrics = metrics;
  }

  /** Per event: what this node last published and when it should look again, plus its meters. */
  private static final class Tracked {
    final AtomicLong waiting = new AtomicLong();
    Counter admitted;
    long served = -1;
    long publishedAt;
    long dueAt;
  }

  @Override
  public Future<?> start() {
    redis = new RedisLink(vertx, redisEndpoint);
    live = new LiveEvents(redis, liveGraceMs);
    room = new WaitingRoom(redis, WaitingRoom.Tuning.DEFAULT);
    job = new PeriodicJob(vertx, "admission", ROUND_MS, this::runRounds).start();
    // A confirmed order frees the buyer's place now rather than when their entry token expires.
    vertx.eventBus().<JsonObject>localConsumer(Addresses.QUEUE_DONE, m -> {
      long eventId = m.body().getLong("eventId");
      events.get(eventId)
          .compose(e -> e.queue().enabled() ? room.leave(eventId, m.body().getString("user")) : Future.succeededFuture())
          .onFailure(err -> log.warn("could not free a buyer's queue place in event {}: {}", eventId, err.toString()));
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    job.stop();
    redis.close();
    return Future.succeededFuture();
  }

  private Future<?> runRounds() {
    long now = System.currentTimeMillis();
    if (now - liveReadAt >= QUIET_ROUND_MS) {
      liveReadAt = now;
      return live.live().onSuccess(ids -> liveIds = ids).transform(ar -> {
        if (ar.failed()) {
          log.warn("could not read the live events: {}", ar.cause().toString());
        }
        return rounds(System.currentTimeMillis());
      });
    }
    return rounds(now);
  }

  private Future<?> rounds(long now) {
    List<Future<?>> rounds = new ArrayList<>();
    for (long eventId : liveIds) {
      Event e = events.cached(eventId);
      if (e != null && e.queue().enabled()) {
        Tracked t = tracked.computeIfAbsent(e.id(), id -> register(e));
        if (now >= t.dueAt) {
          rounds.add(round(e, t));
        }
      }
    }
    // Each round logs its own failure (per event); the pass itself always completes.
    return Future.join(rounds).otherwiseEmpty();
  }

  private Future<?> round(Event e, Tracked t) {
    return room.admit(e.id(), e.queue()).onComplete(ar -> {
      long now = System.currentTimeMillis();
      if (ar.failed()) {
        t.dueAt = now + QUIET_ROUND_MS;
        log.warn("admission round for event {} failed: {}", e.id(), ar.cause().toString());
        return;
      }
      AdmissionRound r = ar.result();
      t.waiting.set(r.waiting());
      t.admitted.increment(r.admitted());
      boolean quiet = r.waiting() == 0 && r.active() == 0;
      t.dueAt = quiet ? now + QUIET_ROUND_MS : now;
      if (!quiet) {
        live.touch(e.id()); // people waiting or admitted: the event stays live
      }
      if (r.served() != t.served || now - t.publishedAt >= FRAME_MS) {
        t.served = r.served();
        t.publishedAt = now;
        vertx.eventBus().publish(Addresses.queue(e.id()),
            new JsonObject().put("type", "queue").put("serving", r.served()), LOCAL);
      }
    });
  }

  private Tracked register(Event e) {
    Tracked t = new Tracked();
    String id = String.valueOf(e.id());
    Gauge.builder("ticketrush.queue.waiting", t.waiting, AtomicLong::get)
        .description("Users in an event's waiting room, not yet admitted")
        .tag("event", id)
        .strongReference(true)
        .register(metrics);
    t.admitted = Counter.builder("ticketrush.queue.admitted")
        .description("Users admitted from an event's waiting room (by this node's admitter)")
        .tag("event", id)
        .register(metrics);
    return t;
  }
}
