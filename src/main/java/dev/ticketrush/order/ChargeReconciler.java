package dev.ticketrush.order;

import dev.ticketrush.infra.PeriodicJob;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.payment.PaymentGateway.ListedCharge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Gateway to purchases: refunds every captured charge of ours (it carries a charge key in its metadata) that is
 * not the charge of a CONFIRMED purchase — money found without its purchase (a create that landed after its
 * purchase was decided, a fenced-out request whose refund failed, a charge made by hand with our metadata).
 *
 * <p>The gateway lists newest first, so a walk goes from the newest charge older than {@code minAgeMs} (younger
 * ones may still belong to a purchase in flight) down to where the previous finished walk began (the
 * watermark, less an overlap for clock skew). Each pass reads at most {@code maxPages} pages and stores where
 * it stopped in {@code charge_reconciliation}, so a long walk resumes on the next pass, on any node; a lease
 * on that row keeps two nodes from walking at once. A charge whose purchase is still unfinished stops the pass
 * there: the completer decides it first (its unknown phase is bounded), and the next pass looks again.
 */
public final class ChargeReconciler extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ChargeReconciler.class);
  static final int PAGE_SIZE = 100;
  /** Charges this much older than the watermark were seen by the previous walk: enough for clock skew. */
  static final long OVERLAP_SECONDS = 60;

  private static final String TAKE =
      "UPDATE charge_reconciliation SET lease_token = $1, lease_until = now() + make_interval(secs => $2) "
          + "WHERE id = 1 AND lease_until < now() RETURNING watermark, walk_boundary, walk_after, now() AS db_now";
  private static final String SAVE =
      "UPDATE charge_reconciliation SET watermark = $2, walk_boundary = $3, walk_after = $4, lease_until = now(), "
          + "examined = examined + $5, refunded = refunded + $6 WHERE id = 1 AND lease_token = $1";
  private static final String OWNER =
      "SELECT phase, charge_id FROM purchases WHERE charge_key = $1";

  private final Pool pool;
  private final PaymentGateway payments;
  private final MeterRegistry metrics;
  private final long intervalMs;
  private final long minAgeMs;
  private final int maxPages;
  private final long timeoutMs;
  private PeriodicJob job;

  /**
   * @param minAgeMs  charges younger than this are left alone (longer than a purchase's whole unknown bound)
   * @param maxPages  pages of {@value #PAGE_SIZE} charges read per pass at most
   * @param timeoutMs deadline of each gateway call and statement
   */
  public ChargeReconciler(Pool pool, PaymentGateway payments, MeterRegistry metrics, long intervalMs, long minAgeMs,
                          int maxPages, long timeoutMs) {
    this.pool = pool;
    this.payments = payments;
    this.metrics = metrics;
    this.intervalMs = intervalMs;
    this.minAgeMs = minAgeMs;
    this.maxPages = maxPages;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<?> start() {
    job = new PeriodicJob(vertx, "charge reconciliation", intervalMs, this::pass).start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    job.stop();
    return Future.succeededFuture();
  }

  /** Where a walk stands; mutable, confined to one pass. */
  private static final class Walk {
    final UUID token;
    final OffsetDateTime watermark;
    OffsetDateTime boundary;
    String after;
    boolean finished;
    boolean blocked;
    long examined;
    long refunded;

    /** Resumes the stored walk, or starts one at the newest charge older than {@code minAgeMs}. */
    Walk(UUID token, Row r, long minAgeMs) {
      this.token = token;
      this.watermark = r.getOffsetDateTime("watermark");
      this.boundary = r.getOffsetDateTime("walk_boundary");
      this.after = r.getString("walk_after");
      if (boundary == null) {
        boundary = r.getOffsetDateTime("db_now").minus(Duration.ofMillis(minAgeMs));
        after = null;
      }
    }
  }

  Future<?> pass() {
    UUID token = UUID.randomUUID();
    long leaseSeconds = Math.max(30, (timeoutMs * (maxPages + 2)) / 1000 * 2);
    return timed(pool.preparedQuery(TAKE).execute(Tuple.of(token, (double) leaseSeconds))).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(); // another node is walking
      }
      Row r = rows.iterator().next();
      Walk walk = new Walk(token, r, minAgeMs);
      // What was examined stays examined even when a gateway call fails half-way: save, then report.
      return page(walk, 1).transform(ar -> save(walk).compose(v -> ar.succeeded()
          ? Future.succeededFuture() : Future.failedFuture(ar.cause())));
    });
  }

  private Future<Void> page(Walk walk, int n) {
    return payments.charges(walk.after, PAGE_SIZE).timeout(timeoutMs, TimeUnit.MILLISECONDS).compose(page -> {
      Future<Void> chain = Future.succeededFuture();
      for (ListedCharge c : page.charges()) {
        chain = chain.compose(v -> walk.finished || walk.blocked ? Future.succeededFuture() : examine(walk, c));
      }
      return chain.compose(v -> {
        if (walk.finished || walk.blocked) {
          return Future.succeededFuture();
        }
        if (!page.hasMore()) {
          walk.finished = true;
          return Future.succeededFuture();
        }
        return n >= maxPages ? Future.succeededFuture() : page(walk, n + 1);
      });
    });
  }

  private Future<Void> examine(Walk walk, ListedCharge c) {
    Instant created = Instant.ofEpochSecond(c.createdEpochSeconds());
    if (walk.watermark != null && created.isBefore(walk.watermark.toInstant().minusSeconds(OVERLAP_SECONDS))) {
      walk.finished = true; // the previous walk saw everything from here down
      return Future.succeededFuture();
    }
    if (!created.isBefore(walk.boundary.toInstant()) || !c.captured() || c.chargeKey() == null) {
      walk.after = c.id(); // too young (the next walk sees it), no money, or not ours
      return Future.succeededFuture();
    }
    walk.examined++;
    return timed(pool.preparedQuery(OWNER).execute(Tuple.of(c.chargeKey()))).compose(rows -> {
      Row owner = rows.size() == 0 ? null : rows.iterator().next();
      PurchasePhase phase = owner == null ? null : PurchasePhase.valueOf(owner.getString("phase"));
      if (phase != null && !phase.decided()) {
        walk.blocked = true; // the completer owns it until it decides; look again next pass
        return Future.succeededFuture();
      }
      if (phase == PurchasePhase.CONFIRMED && c.id().equals(owner.getString("charge_id"))) {
        walk.after = c.id();
        return Future.succeededFuture();
      }
      log.warn("charge {} ({} cents, key {}) has no confirmed purchase ({}); refunding it", c.id(), c.amountCents(),
          c.chargeKey(), phase == null ? "no purchase" : phase);
      return payments.refund(c.id()).timeout(timeoutMs, TimeUnit.MILLISECONDS).map(v -> {
        walk.refunded++;
        walk.after = c.id();
        metrics.counter("ticketrush.charges.orphans.refunded").increment();
        return (Void) null;
      });
    });
  }

  private Future<Void> save(Walk walk) {
    OffsetDateTime watermark = walk.finished ? walk.boundary : walk.watermark;
    OffsetDateTime boundary = walk.finished ? null : walk.boundary;
    String after = walk.finished ? null : walk.after;
    return timed(pool.preparedQuery(SAVE).execute(Tuple.from(Arrays.asList(walk.token, watermark, boundary, after,
        walk.examined, walk.refunded)))).<Void>mapEmpty()
        .onSuccess(v -> metrics.counter("ticketrush.charges.reconciled").increment(walk.examined));
  }

  private <T> Future<T> timed(Future<T> f) {
    return f.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
