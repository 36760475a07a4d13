package dev.ticketrush.order;

import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.support.Api;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Pays exactly once", checked from the outside after a fault: every captured, unrefunded charge belongs to
 * exactly one CONFIRMED order (1:1 by key), every CONFIRMED order has one, no seat is in two tickets, the Redis
 * sold mirror equals the tickets, and every purchase of the event is decided.
 */
final class PurchaseInvariant {
  private PurchaseInvariant() {
  }

  /** The fake gateway's ledger (in PostgreSQL), read from a test thread. */
  static Map<String, PaymentGateway.Charge> ledger(dev.ticketrush.payment.FakePaymentGateway gateway) {
    try {
      return gateway.ledger().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the fake gateway's ledger", e);
    }
  }

  /** Charges that moved money (captured, refunded or not), across the whole ledger. */
  static long captured(dev.ticketrush.payment.FakePaymentGateway gateway) {
    return ledger(gateway).values().stream().filter(c -> c.status() != PaymentGateway.Status.DECLINED).count();
  }

  /** @param ledger the gateway's view: charge key → charge */
  static void check(Pool pool, Api api, long eventId, Map<String, PaymentGateway.Charge> ledger) {
    List<Row> purchases = rows(pool, "SELECT key, user_id, phase, charge_key, charge_id, order_id FROM purchases WHERE event_id = $1", eventId);
    List<Row> orders = rows(pool, "SELECT id, payment_ref, status, seats FROM orders WHERE event_id = $1", eventId);
    List<Row> tickets = rows(pool, "SELECT seat_id FROM tickets WHERE event_id = $1", eventId);

    Set<String> chargeKeys = new HashSet<>();
    for (Row p : purchases) {
      assertThat(PurchasePhase.valueOf(p.getString("phase")).decided())
          .as("purchase %s is decided (phase %s)", p.getString("key"), p.getString("phase")).isTrue();
      chargeKeys.add(p.getString("charge_key"));
    }
    Map<String, Integer> ordersByCharge = new HashMap<>();
    for (Row o : orders) {
      if ("CONFIRMED".equals(o.getString("status")) && o.getString("payment_ref") != null) { // null: free, no charge
        ordersByCharge.merge(o.getString("payment_ref"), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, PaymentGateway.Charge> e : ledger.entrySet()) {
      if (!chargeKeys.contains(e.getKey())) {
        continue; // another event's purchase
      }
      PaymentGateway.Charge c = e.getValue();
      int n = ordersByCharge.getOrDefault(c.id(), 0);
      if (c.status() == PaymentGateway.Status.SUCCEEDED) {
        assertThat(n).as("captured charge %s belongs to exactly one confirmed order", c.id()).isEqualTo(1);
      } else {
        assertThat(n).as("charge %s (%s) confirms no order", c.id(), c.status()).isZero();
      }
    }
    Set<String> captured = new HashSet<>();
    ledger.values().stream().filter(PaymentGateway.Charge::succeeded).forEach(c -> captured.add(c.id()));
    for (String ref : ordersByCharge.keySet()) {
      assertThat(captured).as("confirmed order paid by captured charge %s", ref).contains(ref);
    }

    Set<Integer> ticketSeats = new HashSet<>();
    tickets.forEach(t -> assertThat(ticketSeats.add(t.getInteger("seat_id"))).as("seat in one ticket").isTrue());
    int soldByOrders = orders.stream().filter(o -> "CONFIRMED".equals(o.getString("status")))
        .mapToInt(o -> o.getArrayOfIntegers("seats").length).sum();
    assertThat(ticketSeats).hasSize(soldByOrders);
    // The mirror follows PostgreSQL within a reconcile pass when a sell script was lost with the fault.
    Set<Integer> mirror = soldInRedis(api, eventId);
    long deadline = System.currentTimeMillis() + 10_000;
    while (!mirror.equals(ticketSeats) && System.currentTimeMillis() < deadline) {
      sleep(100);
      mirror = soldInRedis(api, eventId);
    }
    assertThat(mirror).as("Redis sold mirror equals the tickets").isEqualTo(ticketSeats);
  }

  private static Set<Integer> soldInRedis(Api api, long eventId) {
    Set<Integer> mirror = new HashSet<>();
    api.seats(eventId).getJsonArray("sold").forEach(s -> mirror.add((Integer) s));
    return mirror;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<Row> rows(Pool pool, String sql, Object... args) {
    try {
      List<Row> out = new ArrayList<>();
      pool.preparedQuery(sql).execute(Tuple.from(args)).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS).forEach(out::add);
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
