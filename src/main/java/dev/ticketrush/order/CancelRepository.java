package dev.ticketrush.order;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cancellations in PostgreSQL. The decision is one transaction ({@link #begin}): the order row locked, the
 * refund window and the caller checked, the order's tickets locked and, unless one was checked in, turned VOID,
 * the order CANCELLING and the cancellation row (with a claim token) inserted. Every later write names the claim
 * token, so the {@link PurchaseCompleter}'s takeover fences out the request it replaced. Every call has a deadline.
 */
final class CancelRepository {
  private static final String COLUMNS = "order_id, event_id, requested_by, key, phase, claim_token, charge_id, "
      + "amount_cents, currency, seats, attempts";
  private static final String ORDER = "SELECT o.user_id, o.status, o.seats, o.payment_ref, o.currency, o.total_cents, "
      + "o.event_id, e.refundable_until, now() AS now FROM orders o JOIN events e ON e.id = o.event_id "
      + "WHERE o.id = $1 FOR UPDATE OF o";
  private static final String BY_ORDER = "SELECT " + COLUMNS + " FROM cancellations WHERE order_id = $1";
  /** The same row lock a check-in's conditional UPDATE takes: a scan either wins before this or finds VOID. */
  private static final String LOCK_TICKETS = "SELECT status, holder FROM tickets WHERE order_id = $1 FOR UPDATE";
  private static final String VOID_TICKETS =
      "UPDATE tickets SET status = 'VOID', voided_at = clock_timestamp(), changed_seq = nextval('ticket_changes'), "
          + "changed_at = clock_timestamp() WHERE order_id = $1 AND status = 'VALID'";
  private static final String ORDER_CANCELLING = "UPDATE orders SET status = 'CANCELLING' WHERE id = $1";
  private static final String INSERT = "INSERT INTO cancellations (order_id, event_id, requested_by, key, phase, "
      + "claim_token, charge_id, amount_cents, currency, seats, deadline) "
      + "VALUES ($1, $2, $3, $4, 'CANCELLING', $5, $6, $7, $8, $9, now() + make_interval(secs => $10)) RETURNING " + COLUMNS;
  private static final String CANCELLED = "UPDATE cancellations SET phase = 'CANCELLED', cancelled_at = now() "
      + "WHERE order_id = $1 AND claim_token = $2 AND phase = 'CANCELLING'";
  private static final String ORDER_CANCELLED = "UPDATE orders SET status = 'CANCELLED' WHERE id = $1";
  /** Takes over due cancellations: one token per pass, rows locked by another completer are skipped. */
  private static final String TAKE_DUE =
      "UPDATE cancellations SET claim_token = $1, deadline = now() + make_interval(secs => $2), attempts = attempts + 1 "
          + "WHERE order_id IN (SELECT order_id FROM cancellations WHERE phase = 'CANCELLING' AND deadline < now() "
          + "ORDER BY deadline LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS;

  private static final String PENDING_OLDER_THAN = "SELECT count(*) FROM cancellations WHERE phase = 'CANCELLING' "
      + "AND created_at < now() - make_interval(secs => $1)";

  /** What the decision found. */
  sealed interface Begun {
  }

  /** No such order, or someone else's (the caller is no admin). */
  record NotFound() implements Begun {
  }

  /** The owner is past the refund window (or the event has none, or the order cannot be cancelled). */
  record NotRefundable(String detail) implements Begun {
  }

  /** A ticket of the order was checked in: nothing changed. */
  record TicketUsed() implements Begun {
  }

  /** The caller used this Idempotency-Key to cancel another order. */
  record KeyReused() implements Begun {
  }

  /** The order was cancelled before (this key or another): its cancellation as it stands. */
  record Existing(Cancellation cancellation) implements Begun {
  }

  /** This call decided it: committed CANCELLING, tickets VOID. */
  record Started(Cancellation cancellation) implements Begun {
  }

  private final Pool pool;
  private final long timeoutMs;

  CancelRepository(Pool pool, long timeoutMs) {
    this.pool = pool;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Decides a cancellation in one transaction. {@code admin}: any order, any time; otherwise the caller's own
   * order before the event's refundableUntil, whose tickets the caller still holds.
   */
  Future<Begun> begin(UUID orderId, String caller, boolean admin, String key, long deadlineSeconds) {
    return timed(pool.withTransaction(conn -> conn.preparedQuery(ORDER).execute(Tuple.of(orderId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(new NotFound());
      }
      Row o = rows.iterator().next();
      String owner = o.getString("user_id");
      if (!admin && !owner.equals(caller)) {
        return Future.succeededFuture(new NotFound());
      }
      String status = o.getString("status");
      if (status.equals(Cancellation.CANCELLING) || status.equals(Cancellation.CANCELLED)) {
        return conn.preparedQuery(BY_ORDER).execute(Tuple.of(orderId))
            .map(c -> new Existing(toCancellation(c.iterator().next())));
      }
      if (!status.equals("CONFIRMED")) {
        return Future.succeededFuture(new NotRefundable("order " + orderId + " is " + status + ": nothing to cancel"));
      }
      if (!admin) {
        OffsetDateTime until = o.getOffsetDateTime("refundable_until");
        if (until == null) {
          return Future.succeededFuture(new NotRefundable("this event's orders can only be cancelled by the organiser"));
        }
        if (!o.getOffsetDateTime("now").isBefore(until)) {
          return Future.succeededFuture(new NotRefundable("orders of this event were refundable until " + until.toInstant()));
        }
      }
      return conn.preparedQuery(LOCK_TICKETS).execute(Tuple.of(orderId)).compose(tickets -> {
        boolean transferred = false;
        for (Row t : tickets) {
          if ("USED".equals(t.getString("status"))) {
            return Future.succeededFuture(new TicketUsed());
          }
          transferred |= "VALID".equals(t.getString("status")) && !owner.equals(t.getString("holder"));
        }
        if (transferred && !admin) {
          return Future.succeededFuture(new NotRefundable("a ticket of this order was given to someone else; only the "
              + "organiser can cancel it now"));
        }
        return decide(conn, orderId, o, caller, key, deadlineSeconds);
      });
    }))).recover(err -> PurchaseRepository.isUniqueViolation(err)
        ? Future.succeededFuture(new KeyReused()) : Future.failedFuture(err));
  }

  private static Future<Begun> decide(SqlConnection conn, UUID orderId, Row o, String caller, String key,
                                      long deadlineSeconds) {
    Future<RowSet<Row>> voided = conn.preparedQuery(VOID_TICKETS).execute(Tuple.of(orderId));
    Future<RowSet<Row>> cancelling = conn.preparedQuery(ORDER_CANCELLING).execute(Tuple.of(orderId));
    Future<RowSet<Row>> inserted = conn.preparedQuery(INSERT).execute(Tuple.from(Arrays.asList(orderId,
        o.getLong("event_id"), caller, key, UUID.randomUUID(), o.getString("payment_ref"), o.getLong("total_cents"),
        o.getString("currency"), o.getArrayOfIntegers("seats"), (double) deadlineSeconds)));
    return Future.all(voided, cancelling, inserted).map(all -> new Started(toCancellation(inserted.result().iterator().next())));
  }

  Future<Cancellation> find(UUID orderId) {
    return timed(pool.preparedQuery(BY_ORDER).execute(Tuple.of(orderId)))
        .map(rows -> rows.size() == 0 ? null : toCancellation(rows.iterator().next()));
  }

  /** CANCELLING → CANCELLED (cancellation and order, one transaction) under our token; false when fenced out. */
  Future<Boolean> cancelled(Cancellation c) {
    return timed(pool.withTransaction(conn -> conn.preparedQuery(CANCELLED).execute(Tuple.of(c.orderId(), c.claimToken()))
        .compose(r -> r.rowCount() == 1
            ? conn.preparedQuery(ORDER_CANCELLED).execute(Tuple.of(c.orderId())).map(true)
            : Future.succeededFuture(false))));
  }

  /** Takes over up to {@code limit} cancellations past their deadline for {@code leaseSeconds}, under {@code token}. */
  Future<List<Cancellation>> takeDue(UUID token, long leaseSeconds, int limit) {
    return timed(pool.preparedQuery(TAKE_DUE).execute(Tuple.of(token, (double) leaseSeconds, limit))).map(rows -> {
      List<Cancellation> out = new ArrayList<>();
      rows.forEach(r -> out.add(toCancellation(r)));
      return out;
    });
  }

  /** How many cancellations still wait for their refund after {@code seconds}. */
  Future<Long> pendingOlderThan(long seconds) {
    return timed(pool.preparedQuery(PENDING_OLDER_THAN).execute(Tuple.of((double) seconds)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private <T> Future<T> timed(Future<T> f) {
    return f.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static Cancellation toCancellation(Row r) {
    return new Cancellation(r.getUUID("order_id"), r.getLong("event_id"), r.getString("requested_by"), r.getString("key"),
        r.getString("phase"), r.getUUID("claim_token"), r.getString("charge_id"), r.getLong("amount_cents"),
        r.getString("currency"), List.of(r.getArrayOfIntegers("seats")), r.getInteger("attempts"));
  }
}
