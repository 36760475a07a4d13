package dev.ticketrush.infra;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The skeleton of every background job (sweeper, reconciler, admitter): one timer, never two passes at once
 * (a slow Redis or PostgreSQL must not pile up overlapping passes), failures logged and retried on the next
 * tick, and a clean stop. Lives on the event loop of the verticle that starts it.
 */
public final class PeriodicJob {
  private static final Logger log = LoggerFactory.getLogger(PeriodicJob.class);

  private final Vertx vertx;
  private final String name;
  private final long intervalMs;
  private final Supplier<Future<?>> pass;
  private long timer = -1;
  private boolean running;
  private boolean stopped;
  private boolean failing;

  public PeriodicJob(Vertx vertx, String name, long intervalMs, Supplier<Future<?>> pass) {
    this.vertx = vertx;
    this.name = name;
    this.intervalMs = intervalMs;
    this.pass = pass;
  }

  public PeriodicJob start() {
    timer = vertx.setPeriodic(intervalMs, id -> runOnce());
    return this;
  }

  /** One pass now, unless one is already running (then nothing: that one covers it). */
  public void runOnce() {
    if (running || stopped) {
      return;
    }
    running = true;
    Future<?> f;
    try {
      f = pass.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      running = false;
      // Logged when the job starts failing and when it recovers, not on every tick of an outage.
      if (ar.failed() && !failing) {
        log.warn("{} pass failed, retrying every {} ms: {}", name, intervalMs, ar.cause().toString());
      } else if (ar.succeeded() && failing) {
        log.info("{} passes succeed again", name);
      }
      failing = ar.failed();
    });
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
