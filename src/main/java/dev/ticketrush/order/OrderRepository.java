package dev.ticketrush.order;

import dev.ticketrush.outcome.Outcome;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Orders, tickets and idempotency keys in PostgreSQL, the truth for purchases. */
public final class OrderRepository {
  static final String UNIQUE_VIOLATION = "23505";

  private static final String CLAIM =
      "INSERT INTO idempotency_keys (user_id, key, request_hash, status) VALUES ($1, $2, $3, 'IN_PROGRESS') "
          + "ON CONFLICT DO NOTHING";
  private static final String STORED =
      "SELECT request_hash, status, outcome, body, created_at < now() - make_interval(secs => $3) AS stale "
          + "FROM idempotency_keys WHERE user_id = $1 AND key = $2";
  // A claim left behind by a crashed node is taken over once it is older than any payment could run.
  private static final String TAKE_OVER =
      "UPDATE idempotency_keys SET created_at = now() WHERE user_id = $1 AND key = $2 AND request_hash = $3 "
          + "AND status = 'IN_PROGRESS' AND created_at < now() - make_interval(secs => $4)";
  private static final String RELEASE_CLAIM =
      "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status = 'IN_PROGRESS'";
  private static final String FINISH =
      "UPDATE idempotency_keys SET status = 'DONE', outcome = $3, body = $4 WHERE user_id = $1 AND key = $2";
  private static final String INSERT_ORDER =
      "INSERT INTO orders (id, event_id, user_id, status, seats, payment_ref, created_at) VALUES ($1, $2, $3, 'CONFIRMED', $4, $5, $6)";
  private static final String INSERT_TICKETS =
      "INSERT INTO tickets (event_id, seat_id, order_id) SELECT $1, unnest($2::int[]), $3";
  private static final String BY_ID =
      "SELECT id, event_id, user_id, status, seats, created_at FROM orders WHERE id = $1";
  private static final String BY_USER =
      "SELECT id, event_id, user_id, status, seats, created_at FROM orders WHERE event_id = $1 AND user_id = $2 ORDER BY created_at, id";

  private final Pool pool;

  public OrderRepository(Pool pool) {
    this.pool = pool;
  }

  /** A stored idempotency row: the request it was for, and the final answer once there is one. */
  public record Stored(String requestHash, boolean done, Outcome outcome, String body, boolean stale) {
  }

  /** True when this request now owns the key. */
  public Future<Boolean> claim(String user, String key, String hash) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(user, key, hash)).map(r -> r.rowCount() == 1);
  }

  public Future<Stored> stored(String user, String key, long staleAfterSeconds) {
    return pool.preparedQuery(STORED).execute(Tuple.of(user, key, (double) staleAfterSeconds)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new Stored(r.getString("request_hash"), "DONE".equals(r.getString("status")),
          r.getString("outcome") == null ? null : Outcome.valueOf(r.getString("outcome")), r.getString("body"),
          r.getBoolean("stale"));
    });
  }

  public Future<Boolean> takeOver(String user, String key, String hash, long staleAfterSeconds) {
    return pool.preparedQuery(TAKE_OVER).execute(Tuple.of(user, key, hash, (double) staleAfterSeconds)).map(r -> r.rowCount() == 1);
  }

  /** Gives the key back: answers that never reached payment are not stored, so the client may retry. */
  public Future<Void> releaseClaim(String user, String key) {
    return pool.preparedQuery(RELEASE_CLAIM).execute(Tuple.of(user, key)).mapEmpty();
  }

  /** Stores a final answer that is not an order (a declined payment). */
  public Future<Void> finish(String user, String key, Outcome outcome, String body) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(user, key, outcome.name(), body)).mapEmpty();
  }

  /**
   * Order, tickets and the stored answer in one transaction. A seat already sold fails the UNIQUE
   * (event_id, seat_id) constraint and nothing of this order is written.
   */
  public Future<Void> confirm(Order order, String paymentRef, String key, String answer) {
    // The three statements are pipelined on the transaction's connection (one network round trip);
    // PostgreSQL still runs them in order, and any failure rolls the whole transaction back.
    return pool.withTransaction(conn -> Future.all(
            insertOrder(conn, order, paymentRef),
            conn.preparedQuery(INSERT_TICKETS).execute(Tuple.of(order.eventId(), order.seats().toArray(new Integer[0]), order.id())),
            conn.preparedQuery(FINISH).execute(Tuple.of(order.userId(), key, Outcome.ORDER_CONFIRMED.name(), answer)))
        .mapEmpty());
  }

  private static Future<Void> insertOrder(SqlConnection conn, Order o, String paymentRef) {
    return conn.preparedQuery(INSERT_ORDER)
        .execute(Tuple.from(Arrays.asList(o.id(), o.eventId(), o.userId(), o.seats().toArray(new Integer[0]), paymentRef,
            o.createdAt().atOffset(ZoneOffset.UTC))))
        .mapEmpty();
  }

  public Future<Order> find(UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toOrder(rows.iterator().next()));
  }

  public Future<List<Order>> byUser(long eventId, String user) {
    return pool.preparedQuery(BY_USER).execute(Tuple.of(eventId, user)).map(rows -> {
      List<Order> list = new ArrayList<>();
      rows.forEach(r -> list.add(toOrder(r)));
      return list;
    });
  }

  static boolean isUniqueViolation(Throwable t) {
    return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private static Order toOrder(Row r) {
    Integer[] seats = r.getArrayOfIntegers("seats");
    Instant created = r.getOffsetDateTime("created_at").toInstant();
    return new Order(r.getUUID("id"), r.getLong("event_id"), r.getString("user_id"), List.of(seats), r.getString("status"), created);
  }
}
