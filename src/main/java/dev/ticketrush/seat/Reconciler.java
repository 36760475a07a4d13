package dev.ticketrush.seat;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LiveEvents;
import dev.ticketrush.infra.PeriodicJob;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PostgreSQL is the truth. At start and every few seconds, compares each event's sold count in Redis with
 * PostgreSQL's tickets and, where they differ (a crash between commit and the sell script, or Redis restarted
 * empty), asks the seat service to restore the missing sold seats, which emits their SOLD changes. Also puts
 * back the sale's rules where Redis has an older revision than PostgreSQL (a PATCH whose Redis write failed),
 * and frees seats Redis still shows sold whose tickets are VOID (see {@link #freeVoided}).
 * Only reads Redis itself. Also picks up events other nodes created, so this node sweeps and serves them too.
 */
public final class Reconciler extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /** Ended events handled per pass at most; the rest wait for the next pass. */
  static final int ENDED_PER_PASS = 100;

  private final RedisEndpoint redisEndpoint;
  private final long intervalMs;
  private final EventCatalog events;
  private final SoldSeats sold;
  private final SeatService seats;
  private final MeterRegistry metrics;
  private final long liveGraceMs;
  private LiveEvents live;
  /** 1 while the last pass reached both Redis and PostgreSQL (exported as ticketrush_ready). */
  private final AtomicInteger ready = new AtomicInteger();
  private RedisLink redis;
  private PeriodicJob job;

  /** @param liveGraceMs how long an event stays live after its last activity (see {@link LiveEvents}) */
  public Reconciler(RedisEndpoint redisEndpoint, long intervalMs, EventCatalog events, SoldSeats sold, SeatService seats,
                    MeterRegistry metrics, long liveGraceMs) {
    this.liveGraceMs = liveGraceMs;
    this.redisEndpoint = redisEndpoint;
    this.intervalMs = intervalMs;
    this.events = events;
    this.sold = sold;
    this.seats = seats;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    redis = new RedisLink(vertx, redisEndpoint);
    live = new LiveEvents(redis, liveGraceMs);
    Gauge.builder("ticketrush.ready", ready, AtomicInteger::get)
        .description("1 when the last reconcile pass reached Redis and PostgreSQL, else 0")
        .register(metrics);
    job = new PeriodicJob(vertx, "reconcile", intervalMs, this::reconcile).start();
    return reconcile().recover(err -> {
      log.warn("first reconcile failed, retrying on schedule: {}", err.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<?> stop() {
    job.stop();
    redis.close();
    return Future.succeededFuture();
  }

  /**
   * One pass over the live events only (the index, not the catalog), then the ended ones give their hot keys
   * back; the future holds the number of seats restored.
   */
  Future<Integer> reconcile() {
    return events.loadChanged()
        .compose(v -> live.live())
        .compose(ids -> {
          List<Event> known = new ArrayList<>();
          for (long id : ids) {
            Event e = events.cached(id);
            if (e != null) {
              known.add(e);
            }
          }
          return known.isEmpty() ? Future.succeededFuture(0)
              : sold.soldCounts(known.stream().map(Event::id).toList()).compose(counts -> reconcile(known, counts));
        })
        .compose(n -> dropEnded().map(n))
        .onComplete(ar -> ready.set(ar.succeeded() ? 1 : 0));
  }

  /** Events untouched for the grace period: their hot keys go (unless holds or pins remain: then live again). */
  private Future<Void> dropEnded() {
    return live.ended(ENDED_PER_PASS).compose(ended -> {
      List<Future<?>> drops = new ArrayList<>();
      ended.forEach((id, score) -> drops.add(seats.dropEnded(id).compose(dropped -> {
        if (!dropped) {
          live.touch(id);
          return Future.succeededFuture();
        }
        log.info("event {} ended (no activity for {} ms): its hot keys are dropped, rebuilt from PostgreSQL on demand",
            id, liveGraceMs);
        return live.forget(id, score);
      })));
      return Future.join(drops).mapEmpty();
    });
  }

  /** Void tickets' seats examined per event and pass (each pass continues where Redis still disagrees). */
  static final int MAX_FREED_PER_PASS = 1000;

  /**
   * Seats Redis shows sold whose tickets are all VOID: a cancellation whose seats came back before the sale's
   * own sell script reached Redis (another node, a slow pipeline), or a cancel script lost in a failover. Redis
   * is read first, then PostgreSQL: a seat sold in Redis was committed before, so only void tickets afterwards
   * means it was cancelled since. Those seats are made AVAILABLE by the cancel script (its marker a one-off id).
   * Seats sold in Redis without any ticket are left as they are. The restore never frees a seat, so it cannot
   * resurrect a void ticket's seat either: it only marks PostgreSQL's live tickets sold.
   */
  private Future<Integer> freeVoided(long eventId) {
    // A cheap look first: without void tickets there is nothing to free and no snapshot to read.
    return sold.voidedSeats(eventId, 1).compose(any -> any.isEmpty() ? Future.succeededFuture(0)
        : seats.snapshot(eventId).compose(redisSide -> sold.voidedSeats(eventId, MAX_FREED_PER_PASS).compose(voided -> {
      java.util.Set<Object> soldInRedis = new java.util.HashSet<>(redisSide.sold().getList());
      List<Integer> stale = voided.stream().filter(soldInRedis::contains).toList();
      if (stale.isEmpty()) {
        return Future.succeededFuture(0);
      }
      log.warn("event {}: seats {} are sold in Redis but their tickets are void; putting them back on sale", eventId, stale);
      return seats.cancel(eventId, "reconcile-" + java.util.UUID.randomUUID(), stale);
    })));
  }

  private Future<Integer> reconcile(List<Event> known, Map<Long, Long> soldInDb) {
    List<Request> checks = new ArrayList<>();
    for (Event e : known) {
      checks.add(Request.cmd(Command.SCARD).arg(Keyspace.sold(e.id())));
      checks.add(Request.cmd(Command.EXISTS).arg(Keyspace.version(e.id())));
      checks.add(Request.cmd(Command.HGET).arg(Keyspace.saleRules(e.id())).arg("rev"));
    }
    return redis.batch(checks).compose(replies -> {
      List<Future<Integer>> fixes = new ArrayList<>();
      for (int i = 0; i < known.size(); i++) {
        Event e = known.get(i);
        Response scard = replies.get(3 * i);
        boolean hasVersion = replies.get(3 * i + 1).toInteger() == 1;
        Response rev = replies.get(3 * i + 2);
        if (hasVersion && rev != null && rev.toLong() < e.sale().revision()) {
          log.warn("event {}: Redis has sale rules revision {}, PostgreSQL {}; putting them back", e.id(), rev, e.sale().revision());
          fixes.add(seats.applySaleRules(e.id(), SaleRules.of(e)).map(0));
        }
        long inRedis = scard == null ? 0 : scard.toLong();
        long inDb = soldInDb.getOrDefault(e.id(), 0L);
        if (hasVersion && inRedis > inDb) {
          fixes.add(freeVoided(e.id()));
        }
        if (!hasVersion || inRedis != inDb) {
          fixes.add(seats.restore(e.id()).onSuccess(n -> {
            if (n > 0 || !hasVersion) {
              log.warn("event {}: Redis disagreed with PostgreSQL (sold {} vs {}, version {}); restored {} sold seats",
                  e.id(), inRedis, inDb, hasVersion ? "present" : "missing", n);
            }
          }));
        }
      }
      return Future.all(fixes).map(cf -> {
        int total = 0;
        for (int i = 0; i < cf.size(); i++) {
          total += cf.<Integer>resultAt(i);
        }
        return total;
      });
    });
  }
}
