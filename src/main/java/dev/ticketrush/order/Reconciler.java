package dev.ticketrush.order;

import dev.ticketrush.Services;
import dev.ticketrush.event.Event;
import dev.ticketrush.hold.SeatKeys;
import dev.ticketrush.hold.SeatStore;
import dev.ticketrush.infra.RedisLink;
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

/**
 * PostgreSQL is the truth. At start and every few seconds, compares each event's sold count in Redis with
 * PostgreSQL's tickets and, where they differ (a crash between commit and the sell script, or Redis restarted
 * empty), restores the missing sold seats in Redis, emitting their SOLD changes. Also picks up events other
 * nodes created, so this node sweeps and serves them too.
 */
public final class Reconciler extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final Services services;
  private RedisLink redis;
  private SeatStore store;
  private long timer;
  private boolean running;
  /** 1 while the last pass reached both Redis and PostgreSQL (exported as ticketrush_ready). */
  private final java.util.concurrent.atomic.AtomicInteger ready = new java.util.concurrent.atomic.AtomicInteger();

  public Reconciler(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    redis = new RedisLink(vertx, services.config().redisUrl());
    store = new SeatStore(redis, services.config().changeLogMaxLen(), services.tickets()::soldSeats);
    io.micrometer.core.instrument.Gauge.builder("ticketrush.ready", ready, java.util.concurrent.atomic.AtomicInteger::get)
        .description("1 when the last reconcile pass reached Redis and PostgreSQL, else 0")
        .register(services.metrics());
    timer = vertx.setPeriodic(services.config().reconcileIntervalMs(), id -> runOnce());
    return reconcile().recover(err -> {
      log.warn("first reconcile failed, retrying on schedule: {}", err.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    redis.close();
    return Future.succeededFuture();
  }

  private void runOnce() {
    if (running) {
      return;
    }
    running = true;
    reconcile().onComplete(ar -> {
      running = false;
      ready.set(ar.succeeded() ? 1 : 0);
      if (ar.failed()) {
        log.warn("reconcile failed: {}", ar.cause().toString());
      }
    });
  }

  /** One pass; the future holds the number of seats restored. */
  public Future<Integer> reconcile() {
    return services.events().loadAll()
        .compose(v -> services.tickets().soldCounts())
        .compose(this::reconcile)
        .onSuccess(n -> ready.set(1));
  }

  private Future<Integer> reconcile(Map<Long, Long> soldInDb) {
    List<Event> events = new ArrayList<>();
    services.events().known().forEach(events::add);
    if (events.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<Request> checks = new ArrayList<>();
    for (Event e : events) {
      checks.add(Request.cmd(Command.SCARD).arg(SeatKeys.prefix(e.id()) + "sold"));
      checks.add(Request.cmd(Command.EXISTS).arg(SeatKeys.version(e.id())));
    }
    return redis.batch(checks).compose(replies -> {
      List<Future<Integer>> fixes = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        Response scard = replies.get(2 * i);
        boolean hasVersion = replies.get(2 * i + 1).toInteger() == 1;
        long inRedis = scard == null ? 0 : scard.toLong();
        long inDb = soldInDb.getOrDefault(e.id(), 0L);
        if (!hasVersion || inRedis != inDb) {
          fixes.add(store.restore(e.id()).onSuccess(n -> {
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
