package dev.ticketrush.order;

import dev.ticketrush.infra.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finishes purchases (and cancellations, see {@link CancelService}) whose request died or gave up: every pass takes over (fresh claim token, a lease) the
 * unfinished purchases past their phase deadline and drives each to a decided phase (see
 * {@link PurchaseRecovery#resolve}). Safe on every node at once: a pass claims rows with {@code FOR UPDATE SKIP
 * LOCKED} in one statement, and the token fences out everyone else, including the original request. Each pass
 * also counts the purchases unfinished for longer than {@link #LONG_UNKNOWN_SECONDS}
 * ({@code ticketrush_purchases_unknown_long}, alerted on): the bound decides them, so a count that stays up
 * means the completer cannot run or the gateway is down.
 */
public final class PurchaseCompleter extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(PurchaseCompleter.class);
  static final int BATCH = 32;
  static final long LONG_UNKNOWN_SECONDS = 60;

  private final PurchaseRecovery recovery;
  private final CancelService cancellations;
  private final PurchaseRepository orders;
  private final long intervalMs;
  private final long leaseSeconds;
  private final MeterRegistry metrics;
  private final AtomicLong unknownLong = new AtomicLong();
  private PeriodicJob job;

  /** @param leaseSeconds how long one pass owns a purchase before another may try again */
  public PurchaseCompleter(PurchaseRecovery recovery, CancelService cancellations, PurchaseRepository orders,
                           long intervalMs, long leaseSeconds, MeterRegistry metrics) {
    this.recovery = recovery;
    this.cancellations = cancellations;
    this.orders = orders;
    this.intervalMs = intervalMs;
    this.leaseSeconds = leaseSeconds;
    this.metrics = metrics;
    metrics.gauge("ticketrush.purchases.unknown.long", unknownLong);
  }

  @Override
  public Future<?> start() {
    job = new PeriodicJob(vertx, "purchase completer", intervalMs, this::pass).start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    job.stop();
    return Future.succeededFuture();
  }

  private Future<?> pass() {
    Future<?> gauge = orders.unfinishedOlderThan(LONG_UNKNOWN_SECONDS).onSuccess(unknownLong::set);
    // Cancellations are finished the same way: seats back, the refund sent again under its key, CANCELLED.
    return gauge.transform(ar -> resolveDue())
        .transform(ar -> cancellations.resolveDue(UUID.randomUUID(), leaseSeconds, BATCH));
  }

  private Future<?> resolveDue() {
    return orders.takeDue(UUID.randomUUID(), leaseSeconds, BATCH).compose(due -> {
      List<Future<Void>> work = new ArrayList<>(due.size());
      for (Purchase p : due) {
        work.add(recovery.resolve(p).onComplete(ar -> {
          metrics.counter("ticketrush.purchases.resolved", "phase", p.phase().name().toLowerCase(),
              "result", ar.succeeded() ? "done" : "retry").increment();
          if (ar.failed()) {
            log.warn("purchase {} ({}) not resolved yet, retried after its lease: {}", p.chargeKey(), p.phase(),
                ar.cause().toString());
          } else {
            log.info("purchase {} resolved from {}", p.chargeKey(), p.phase());
          }
        }));
      }
      return Future.join(work).otherwiseEmpty();
    });
  }
}
