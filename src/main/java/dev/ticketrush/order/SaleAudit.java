package dev.ticketrush.order;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * The after-sale report operators run: PostgreSQL's orders and tickets against the Redis sold mirror. Read
 * only. Served as {@code GET /api/events/{id}/audit} and by {@code ticket-rush.jar audit --event N}.
 */
public final class SaleAudit {
  private static final String CONFIRMED = "SELECT count(*) FROM orders WHERE event_id = $1 AND status = 'CONFIRMED'";
  private static final String TICKETS = "SELECT seat_id FROM tickets WHERE event_id = $1";
  private static final String DOUBLE = "SELECT seat_id FROM tickets WHERE event_id = $1 GROUP BY seat_id HAVING count(*) > 1";
  private static final String ORPHAN_TICKETS = "SELECT t.seat_id, o.status FROM tickets t JOIN orders o ON o.id = t.order_id "
      + "WHERE t.event_id = $1 AND o.status <> 'CONFIRMED'";
  private static final String SHORT_ORDERS = "SELECT o.id, cardinality(o.seats) AS seats, count(t.seat_id) AS tickets "
      + "FROM orders o LEFT JOIN tickets t ON t.order_id = o.id WHERE o.event_id = $1 AND o.status = 'CONFIRMED' "
      + "GROUP BY o.id HAVING count(t.seat_id) <> cardinality(o.seats)";
  /** Unfinished well past their deadline: the completer should have resolved them. */
  private static final String STUCK = "SELECT key, user_id, phase FROM purchases WHERE event_id = $1 "
      + "AND phase IN ('CLAIMED', 'CHARGING', 'CHARGED', 'REFUNDING') AND deadline < now() - interval '60 seconds'";

  private final Pool pool;
  private final LongFunction<Future<List<Integer>>> soldInRedis;

  /** @param soldInRedis the Redis sold mirror of an event */
  public SaleAudit(Pool pool, LongFunction<Future<List<Integer>>> soldInRedis) {
    this.pool = pool;
    this.soldInRedis = soldInRedis;
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
    return Future.all(List.of(confirmed, tickets, doubles, orphans, shorts, stuck, mirror)).map(all -> {
      JsonArray mismatches = new JsonArray();
      doubles.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "seat_in_two_tickets").put("seat", r.getInteger(0))));
      orphans.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "ticket_of_unconfirmed_order")
          .put("seat", r.getInteger(0)).put("orderStatus", r.getString(1))));
      shorts.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "order_without_all_tickets")
          .put("orderId", r.getUUID(0).toString()).put("seats", r.getInteger(1)).put("tickets", r.getLong(2))));
      stuck.result().forEach(r -> mismatches.add(new JsonObject().put("kind", "unresolved_purchase")
          .put("key", r.getString(0)).put("user", r.getString(1)).put("phase", r.getString(2))));
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
      return new JsonObject()
          .put("eventId", eventId)
          .put("confirmedOrders", confirmed.result().iterator().next().getLong(0))
          .put("ticketsSold", sold.size())
          .put("seatsSoldInRedis", inRedis.size())
          .put("mismatches", mismatches)
          .put("ok", mismatches.isEmpty());
    });
  }
}
