package dev.ticketrush.order;

import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.payment.PaymentGateway.ListedCharge;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * The after-sale report operators run: PostgreSQL's orders and tickets against the Redis sold mirror, and the
 * gateway's charges of the event side by side with its purchases ({@code payments}). Read only. Served as
 * {@code GET /api/events/{id}/audit} and by {@code ticket-rush.jar audit --event N}.
 *
 * <p>The gateway side is read from its charge list, newest first, at most {@link #MAX_CHARGE_PAGES} pages
 * ({@code complete} says whether the list ended within them). A CONFIRMED purchase whose charge is not
 * captured is a mismatch (only when the list was read to its end); a captured charge without a CONFIRMED
 * purchase is listed ({@code unownedCharges}) and refunded by the {@link ChargeReconciler} once old enough
 * (Stripe's list keeps a refunded intent {@code succeeded}, so refunded ones may show there too). Cancellations
 * are counted by phase, and {@code revenue} gives PostgreSQL's money: the totals of confirmed orders
 * ({@code confirmedTotal}) and of cancelled, refunded ones ({@code refundedTotal}).
 */
public final class SaleAudit {
  private static final String CONFIRMED = "SELECT count(*) FROM orders WHERE event_id = $1 AND status = 'CONFIRMED'";
  private static final String TICKETS = "SELECT seat_id FROM tickets WHERE event_id = $1 AND status <> 'VOID'";
  private static final String DOUBLE = "SELECT seat_id FROM tickets WHERE event_id = $1 AND status <> 'VOID' GROUP BY seat_id HAVING count(*) > 1";
  private static final String ORPHAN_TICKETS = "SELECT t.seat_id, o.status FROM tickets t JOIN orders o ON o.id = t.order_id "
      + "WHERE t.event_id = $1 AND t.status <> 'VOID' AND o.status <> 'CONFIRMED'";
  private static final String SHORT_ORDERS = "SELECT o.id, cardinality(o.seats) AS seats, count(t.seat_id) AS tickets "
      + "FROM orders o LEFT JOIN tickets t ON t.order_id = o.id AND t.status <> 'VOID' WHERE o.event_id = $1 AND o.status = 'CONFIRMED' "
      + "GROUP BY o.id HAVING count(t.seat_id) <> cardinality(o.seats)";
  /** Unfinished well past their deadline: the completer should have resolved them. */
  private static final String STUCK = "SELECT key, user_id, phase FROM purchases WHERE event_id = $1 "
      + "AND phase IN ('CLAIMED', 'CHARGING', 'CHARGED', 'REFUNDING') AND deadline < now() - interval '60 seconds'";

  /**
   * Cancellations and the event's money as PostgreSQL stores it, in its currency: what confirmed orders hold, and
   * what was given back (purchases refunded after a charge, orders cancelled and refunded). A free order adds 0.
   */
  private static final String MONEY = "SELECT e.currency, "
      + "(SELECT coalesce(sum(total_cents), 0) FROM orders WHERE event_id = $1 AND status = 'CONFIRMED'), "
      + "(SELECT coalesce(sum(amount_cents), 0) FROM cancellations WHERE event_id = $1 AND phase = 'CANCELLED') "
      + "+ (SELECT coalesce(sum(amount_cents), 0) FROM purchases WHERE event_id = $1 AND phase = 'REFUNDED' "
      + "AND charge_id IS NOT NULL), "
      + "(SELECT count(*) FROM cancellations WHERE event_id = $1 AND phase = 'CANCELLING'), "
      + "(SELECT count(*) FROM cancellations WHERE event_id = $1 AND phase = 'CANCELLED') FROM events e WHERE e.id = $1";
  /** Cancellations the completer should have finished (refund still pending well past the deadline). */
  private static final String STUCK_CANCELLATIONS = "SELECT order_id FROM cancellations WHERE event_id = $1 "
      + "AND phase = 'CANCELLING' AND deadline < now() - interval '60 seconds'";
  /** With the order's status: a confirmed purchase whose order was cancelled owns no captured charge any more. */
  private static final String PURCHASES = "SELECT p.key, p.user_id, p.phase, p.charge_key, p.charge_id, p.order_id, "
      + "o.status AS order_status FROM purchases p LEFT JOIN orders o ON o.id = p.order_id WHERE p.event_id = $1";
  static final int MAX_CHARGE_PAGES = 20;

  private final Pool pool;
  private final LongFunction<Future<List<Integer>>> soldInRedis;
  private final PaymentGateway payments;

  /** @param soldInRedis the Redis sold mirror of an event */
  public SaleAudit(Pool pool, LongFunction<Future<List<Integer>>> soldInRedis, PaymentGateway payments) {
    this.pool = pool;
    this.soldInRedis = soldInRedis;
    this.payments = payments;
  }

  public Future<JsonObject> audit(long eventId) {
    Tuple ev = Tuple.of(eventId);
    Future<RowSet<Row>> confirmed = pool.preparedQuery(CONFIRMED).execute(ev);
    Future<RowSet<Row>> tickets = pool.preparedQuery(TICKETS).execute(ev);
    Future<RowSet<Row>> doubles = pool.preparedQuery(DOUBLE).execute(ev);
    Future<RowSet<Row>> orphans = pool.preparedQuery(ORPHAN_TICKETS).execute(ev);
    Future<RowSet<Row>> shorts = pool.preparedQuery(SHORT_ORDERS).execute(ev);
    Future<RowSet<Row>> stuck = pool.preparedQuery(STUCK).execute(ev);
    Future<List<Integer>> mirror = soldInRedis.apply(eventId);
    Future<RowSet<Row>> purchases = pool.preparedQuery(PURCHASES).execute(ev);
    Future<ChargesOfEvent> charges = chargesOf(eventId, null, 1, new ChargesOfEvent());
    Future<RowSet<Row>> money = pool.preparedQuery(MONEY).execute(ev);
    Future<RowSet<Row>> stuckCancels = pool.preparedQuery(STUCK_CANCELLATIONS).execute(ev);
    return Future.all(List.of(confirmed, tickets, doubles, orphans, shorts, stuck, mirror, purchases, charges, money,
        stuckCancels)).map(all -> {
      JsonArray mismatches = new JsonArray();
      doubles.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "seat_in_two_tickets").put("seat", r.getInteger(0))));
      orphans.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "ticket_of_unconfirmed_order")
          .put("seat", r.getInteger(0)).put("orderStatus", r.getString(1))));
      shorts.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "order_without_all_tickets")
          .put("orderId", r.getUUID(0).toString()).put("seats", r.getInteger(1)).put("tickets", r.getLong(2))));
      stuck.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "unresolved_purchase")
          .put("key", r.getString(0)).put("user", r.getString(1)).put("phase", r.getString(2))));
      stuckCancels.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "unfinished_cancellation")
          .put("orderId", r.getUUID(0).toString())));
      Set<Integer> sold = new TreeSet<>();
      tickets.result().forEach(r -> sold.add(r.getInteger(0)));
      Set<Integer> inRedis = new HashSet<>(mirror.result());
      for (int seat : sold) {
        if (!inRedis.contains(seat)) {
          mismatches.add(new JsonObject().put("kind", "sold_but_not_in_redis").put("seat", seat));
        }
      }
      new TreeSet<>(inRedis).forEach(seat -> {
        if (!sold.contains(seat)) {
          mismatches.add(new JsonObject().put("kind", "in_redis_but_not_sold").put("seat", seat));
        }
      });
      JsonObject payments = sideBySide(purchases.result(), charges.result(), mismatches);
      Row m = money.result().iterator().next();
      return new JsonObject()
          .put("eventId", eventId)
          .put("confirmedOrders", confirmed.result().iterator().next().getLong(0))
          .put("ticketsSold", sold.size())
          .put("seatsSoldInRedis", inRedis.size())
          .put("mismatches", mismatches)
          .put("payments", payments)
          .put("cancellations", new JsonObject().put("cancelling", m.getLong(3)).put("cancelled", m.getLong(4)))
          .put("revenue", new JsonObject().put("currency", m.getString(0)).put("confirmedTotal", m.getLong(1))
              .put("refundedTotal", m.getLong(2)))
          .put("ok", mismatches.isEmpty());
    });
  }


  /** The event's charges as the gateway lists them. */
  private static final class ChargesOfEvent {
    final Map<String, ListedCharge> byId = new LinkedHashMap<>();
    boolean complete;
  }

  private Future<ChargesOfEvent> chargesOf(long eventId, String after, int page, ChargesOfEvent acc) {
    return payments.charges(after, ChargeReconciler.PAGE_SIZE).compose(p -> {
      p.charges().stream().filter(c -> c.eventId() == eventId).forEach(c -> acc.byId.put(c.id(), c));
      if (!p.hasMore()) {
        acc.complete = true;
        return Future.succeededFuture(acc);
      }
      if (page >= MAX_CHARGE_PAGES) {
        return Future.succeededFuture(acc);
      }
      return chargesOf(eventId, p.charges().get(p.charges().size() - 1).id(), page + 1, acc);
    });
  }

  private static JsonObject sideBySide(RowSet<Row> purchases, ChargesOfEvent charges, JsonArray mismatches) {
    JsonObject phases = new JsonObject();
    Map<String, String> confirmedCharge = new HashMap<>();
    Map<String, String> phaseByChargeKey = new HashMap<>();
    for (Row r : purchases) {
      String phase = r.getString("phase");
      phases.put(phase, phases.getInteger(phase, 0) + 1);
      phaseByChargeKey.put(r.getString("charge_key"), phase);
      // A free order has no charge; a cancelled order's charge was refunded.
      if ("CONFIRMED".equals(phase) && r.getString("charge_id") != null && "CONFIRMED".equals(r.getString("order_status"))) {
        confirmedCharge.put(r.getString("charge_id"), r.getString("key"));
      }
    }
    long captured = charges.byId.values().stream().filter(ListedCharge::captured).count();
    // Revenue: the money of the captured charges that carry a confirmed order, as the gateway reports it.
    long revenue = charges.byId.values().stream().filter(c -> c.captured() && confirmedCharge.containsKey(c.id()))
        .mapToLong(ListedCharge::amountCents).sum();
    JsonArray unowned = new JsonArray();
    charges.byId.values().stream().filter(c -> c.captured() && !confirmedCharge.containsKey(c.id())).forEach(c ->
        unowned.add(new JsonObject().put("chargeId", c.id()).put("chargeKey", c.chargeKey()).put("amount", c.amountCents())
            .put("purchasePhase", phaseByChargeKey.get(c.chargeKey()))));
    if (charges.complete) {
      confirmedCharge.forEach((chargeId, key) -> {
        ListedCharge c = charges.byId.get(chargeId);
        if (c == null || !c.captured()) {
          mismatches.add(new JsonObject().put("kind", "confirmed_order_without_captured_charge").put("key", key)
              .put("chargeId", chargeId));
        }
      });
    }
    return new JsonObject()
        .put("purchasesByPhase", phases)
        .put("confirmedPurchases", confirmedCharge.size())
        .put("gatewayCharges", charges.byId.size())
        .put("capturedCharges", captured)
        .put("revenue", revenue)
        .put("unownedCharges", unowned)
        .put("complete", charges.complete);
  }
}
