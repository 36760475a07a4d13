package dev.ticketrush.payment;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A card processor for dev mode and tests: answers after a configurable latency (a timer, never blocking) and
 * keeps its ledger in PostgreSQL (table {@code fake_gateway_charges}), one charge per charge key with real
 * refund state, so every node and every restart see the same money, as with one real gateway. Test tokens,
 * as in {@code gateway-sim}: {@code tok_declined} declines; {@code tok_slow} charges and answers the first
 * request after 2 s; {@code tok_timeout} charges and never answers the first request; {@code tok_error}
 * fails without charging; any other token charges. A repeated charge replays the stored result at once.
 */
public final class FakePaymentGateway implements PaymentGateway {
  public static final String DECLINED_TOKEN = "tok_declined";
  static final long SLOW_MS = 2_000;
  private static final long STATEMENT_TIMEOUT_MS = 5_000;

  /** Inserts the charge or returns the one the key already has; {@code fresh} tells which. */
  private static final String CHARGE =
      "INSERT INTO fake_gateway_charges (id, charge_key, status, amount_cents, client_key, user_id, event_id) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (charge_key) DO UPDATE SET charge_key = EXCLUDED.charge_key "
          + "RETURNING id, status, amount_cents, (xmax = 0) AS fresh";
  private static final String EXISTS = "SELECT 1 FROM fake_gateway_charges WHERE charge_key = $1";
  private static final String REFUND =
      "UPDATE fake_gateway_charges SET status = 'REFUNDED' WHERE id = $1 AND status IN ('SUCCEEDED', 'REFUNDED') RETURNING id";
  private static final String STATUS = "SELECT status FROM fake_gateway_charges WHERE id = $1";
  private static final String PAGE =
      "SELECT id, charge_key, event_id, status, amount_cents, extract(epoch FROM created_at)::bigint AS created FROM fake_gateway_charges "
          + "WHERE $1::text IS NULL OR seq < (SELECT seq FROM fake_gateway_charges WHERE id = $1) ORDER BY seq DESC LIMIT $2";
  private static final String ALL = "SELECT id, charge_key, status, amount_cents FROM fake_gateway_charges";

  private final Vertx vertx;
  private final Pool pool;
  private final long latencyMs;

  public FakePaymentGateway(Vertx vertx, Pool pool, long latencyMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.latencyMs = latencyMs;
  }

  @Override
  public Future<Charge> charge(ChargeRequest request) {
    String token = request.paymentToken();
    Future<Void> delay = latencyMs > 0 ? vertx.timer(latencyMs).mapEmpty() : Future.succeededFuture();
    return delay.compose(v -> {
      if ("tok_error".equals(token)) {
        return timed(pool.preparedQuery(EXISTS).execute(Tuple.of(request.chargeKey()))).compose(rows -> rows.size() == 0
            ? Future.failedFuture(new GatewayUnavailable("fake gateway: tok_error"))
            : insertOrReplay(request, token));
      }
      return insertOrReplay(request, token);
    });
  }

  private Future<Charge> insertOrReplay(ChargeRequest request, String token) {
    String id = "pi_fake_" + UUID.randomUUID().toString().replace("-", "");
    String status = DECLINED_TOKEN.equals(token) ? Status.DECLINED.name() : Status.SUCCEEDED.name();
    return timed(pool.preparedQuery(CHARGE).execute(Tuple.from(List.of(id, request.chargeKey(), status,
        DECLINED_TOKEN.equals(token) ? 0L : request.amountCents(), request.clientKey(), request.userId(), request.eventId()))))
        .compose(rows -> {
          Row r = rows.iterator().next();
          Status s = Status.valueOf(r.getString("status"));
          Charge charge = s == Status.DECLINED ? Charge.declined(r.getString("id"), "card declined")
              : new Charge(r.getString("id"), s, r.getLong("amount_cents"), null);
          boolean first = r.getBoolean("fresh");
          if (first && "tok_timeout".equals(token)) {
            return Promise.<Charge>promise().future(); // charged, and the first answer never comes
          }
          if (first && "tok_slow".equals(token)) {
            return vertx.timer(SLOW_MS).map(t -> charge);
          }
          return Future.succeededFuture(charge);
        });
  }

  @Override
  public Future<Void> refund(String chargeId) {
    return timed(pool.preparedQuery(REFUND).execute(Tuple.of(chargeId))).compose(rows -> rows.size() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(new IllegalArgumentException("no captured charge " + chargeId)));
  }

  /** Nothing here is ever left processing: a captured charge cannot be canceled, anything else needs nothing. */
  @Override
  public Future<Void> cancel(String chargeId) {
    return timed(pool.preparedQuery(STATUS).execute(Tuple.of(chargeId))).compose(rows -> {
      boolean captured = rows.size() == 1 && !Status.DECLINED.name().equals(rows.iterator().next().getString(0));
      return captured ? Future.failedFuture(new IllegalStateException("charge " + chargeId + " is captured"))
          : Future.succeededFuture();
    });
  }

  @Override
  public Future<ChargePage> charges(String startingAfter, int limit) {
    return timed(pool.preparedQuery(PAGE).execute(Tuple.of(startingAfter, limit + 1))).map(rows -> {
      List<ListedCharge> page = new ArrayList<>();
      for (Row r : rows) {
        if (page.size() == limit) {
          return new ChargePage(page, true);
        }
        Long event = r.getLong("event_id");
        page.add(new ListedCharge(r.getString("id"), r.getString("charge_key"), event == null ? 0 : event,
            Status.SUCCEEDED.name().equals(r.getString("status")),
            r.getLong("amount_cents"), r.getLong("created")));
      }
      return new ChargePage(page, false);
    });
  }

  /** Every charge key in the ledger with its charge (tests compare the ledger with the orders). */
  public Future<Map<String, Charge>> ledger() {
    return timed(pool.query(ALL).execute()).map(rows -> {
      Map<String, Charge> all = new HashMap<>();
      rows.forEach(r -> all.put(r.getString("charge_key"), new Charge(r.getString("id"),
          Status.valueOf(r.getString("status")), r.getLong("amount_cents"), null)));
      return all;
    });
  }

  private <T> Future<T> timed(Future<T> f) {
    return f.timeout(STATEMENT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
