package dev.ticketrush.ticket;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Tickets in PostgreSQL: listing them (signing codes of tickets sold before codes existed) and checking them in.
 * Check-in is ONE conditional UPDATE ({@code ... WHERE status = 'VALID'}): PostgreSQL's row lock makes exactly one
 * concurrent scan match, on any node; every other scan then reads why it lost.
 */
public final class TicketBook {
  static final String COLUMNS = "id, order_id, event_id, seat_id, holder, status, code, checked_in_at";
  /** An order's tickets as its buyer holds them: a ticket transferred away shows only as the VOID one left behind. */
  private static final String BY_ORDER =
      "SELECT " + COLUMNS + " FROM tickets WHERE order_id = $1 AND holder = $2 ORDER BY seat_id, status DESC";
  /** Transfer, step one: the holder's VALID ticket turns VOID (the same row lock check-in takes: one of them wins). */
  private static final String GIVE_UP =
      "UPDATE tickets SET status = 'VOID', voided_at = clock_timestamp(), changed_seq = nextval('ticket_changes'), "
          + "changed_at = clock_timestamp() WHERE id = $1 AND order_id = $2 AND holder = $3 AND status = 'VALID' "
          + "RETURNING " + COLUMNS;
  private static final String ISSUE =
      "INSERT INTO tickets (id, event_id, seat_id, order_id, holder, code) VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS;
  /**
   * The receiver's maxTicketsPerUser, counted where tickets are the truth, under the same per-(event, user) lock
   * the order transaction takes: a purchase and a transfer to one user count one after the other.
   */
  private static final String LOCK_RECEIVER = "SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))";
  private static final String TICKETS_OF_RECEIVER = "SELECT e.max_tickets_per_user, (SELECT count(*) FROM tickets t "
      + "WHERE t.event_id = $1 AND t.holder = $2 AND t.status <> 'VOID') FROM events e WHERE e.id = $1";
  private static final String HELD_BY = "SELECT " + COLUMNS + " FROM tickets WHERE id = $1 AND order_id = $2 AND holder = $3";
  private static final String BY_HOLDER =
      "SELECT " + COLUMNS + " FROM tickets WHERE event_id = $1 AND holder = $2 ORDER BY seat_id, status DESC";
  private static final String CHECK_IN =
      "UPDATE tickets SET status = 'USED', checked_in_at = clock_timestamp(), changed_seq = nextval('ticket_changes'), "
          + "changed_at = clock_timestamp() WHERE id = $1 AND event_id = $2 AND status = 'VALID' RETURNING " + COLUMNS;
  private static final String ONE = "SELECT " + COLUMNS + " FROM tickets WHERE id = $1 AND event_id = $2";
  private static final String SET_CODES = "UPDATE tickets t SET code = x.code FROM unnest($1::uuid[], $2::text[]) AS x(id, code) "
      + "WHERE t.id = x.id AND t.code IS NULL";
  private static final String COUNTS = "SELECT count(*) FILTER (WHERE status = 'VALID') AS valid, "
      + "count(*) FILTER (WHERE status = 'USED') AS used, count(*) FILTER (WHERE status = 'VOID') AS void "
      + "FROM tickets WHERE event_id = $1";
  /**
   * Changes after a cursor, held back until two seconds old: a sequence value is drawn before its statement
   * commits, so a younger change could still commit below a cursor already handed out.
   */
  private static final String CHANGES = "SELECT " + COLUMNS + ", changed_seq FROM tickets WHERE event_id = $1 "
      + "AND changed_seq > $2 AND changed_at < clock_timestamp() - interval '2 seconds' ORDER BY changed_seq LIMIT $3";

  /** Changes one sync answer carries at most. */
  public static final int MAX_CHANGES = 1000;

  private final Pool pool;
  private final TicketKeys keys;
  private final long timeoutMs;

  public TicketBook(Pool pool, TicketKeys keys, long timeoutMs) {
    this.pool = pool;
    this.keys = keys;
    this.timeoutMs = timeoutMs;
  }

  public TicketKeys keys() {
    return keys;
  }

  /** The tickets of an order, void ones included (a transferred ticket shows as VOID next to nothing). */
  public Future<List<Ticket>> byOrder(UUID orderId, String buyer, IntFunction<String> labels) {
    return list(pool.preparedQuery(BY_ORDER).execute(Tuple.of(orderId, buyer)), labels);
  }

  /**
   * Moves a ticket from its holder to {@code to} in one transaction: the old ticket VOID (its code refused at
   * once), a new ticket with a new id and code for the same seat; fails with {@link OverTicketLimit} (nothing moved)
   * when the receiver already holds the event's maxTicketsPerUser live tickets. The answer is the new ticket, or, when nothing
   * moved, the ticket as it is (USED or VOID), or null when the caller holds no such ticket.
   */
  public Future<Transfer> transfer(UUID orderId, UUID ticketId, String holder, String to, IntFunction<String> labels) {
    return timed(pool.withTransaction(conn -> conn.preparedQuery(GIVE_UP).execute(Tuple.of(ticketId, orderId, holder))
        .compose(rows -> {
          if (rows.size() == 0) {
            return conn.preparedQuery(HELD_BY).execute(Tuple.of(ticketId, orderId, holder)).map(found ->
                new Transfer(false, found.size() == 0 ? null : toTicket(found.iterator().next(), labels)));
          }
          Ticket old = toTicket(rows.iterator().next(), labels);
          UUID id = UUID.randomUUID();
          String code = keys.sign(new TicketClaims(id, old.eventId(), old.seat(), to));
          return conn.preparedQuery(LOCK_RECEIVER).execute(Tuple.of(Long.toString(old.eventId()), to))
              .compose(locked -> conn.preparedQuery(TICKETS_OF_RECEIVER).execute(Tuple.of(old.eventId(), to)))
              .compose(owned -> {
                Row r = owned.iterator().next();
                Integer cap = r.getInteger(0);
                long has = r.getLong(1);
                // Thrown, so the transaction rolls back: the giver keeps the ticket.
                return cap != null && has + 1 > cap ? Future.failedFuture(new OverTicketLimit(Math.max(0, cap - has)))
                    : conn.preparedQuery(ISSUE).execute(Tuple.of(id, old.eventId(), old.seat(), orderId, to, code));
              })
              .map(issued -> new Transfer(true, toTicket(issued.iterator().next(), labels)));
        })));
  }

  /** The receiver already holds the event's maxTicketsPerUser tickets: nothing moved. */
  public static final class OverTicketLimit extends RuntimeException {
    private final long remaining;

    OverTicketLimit(long remaining) {
      super("the receiver would exceed maxTicketsPerUser", null, false, false);
      this.remaining = remaining;
    }

    /** How many more tickets the receiver may take (0 here, unless the cap was lowered below what they hold). */
    public long remaining() {
      return remaining;
    }
  }

  /** {@code moved}: {@code ticket} is the new one; else it is the caller's ticket as it stands, or null. */
  public record Transfer(boolean moved, Ticket ticket) {
  }

  /** The event of a ticket the caller holds in an order (for labels), or null. */
  public Future<Long> eventOf(UUID orderId, UUID ticketId, String holder) {
    return timed(pool.preparedQuery(HELD_BY).execute(Tuple.of(ticketId, orderId, holder)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("event_id"));
  }

  /** The tickets a user holds (or held) for an event. */
  public Future<List<Ticket>> byHolder(long eventId, String holder, IntFunction<String> labels) {
    return list(pool.preparedQuery(BY_HOLDER).execute(Tuple.of(eventId, holder)), labels);
  }

  /** The outcome of one scan. */
  public record Scan(Result result, Ticket ticket) {
    /** ADMITTED: this scan won; ALREADY_USED / VOID: it lost, {@code ticket} says why; UNKNOWN: no such row. */
    public enum Result { ADMITTED, ALREADY_USED, VOID, UNKNOWN }
  }

  /** Checks in the ticket the (verified) claims name: the conditional UPDATE decides, a read explains a loss. */
  public Future<Scan> checkIn(TicketClaims c, IntFunction<String> labels) {
    return timed(pool.preparedQuery(CHECK_IN).execute(Tuple.of(c.ticketId(), c.eventId()))).compose(rows -> {
      if (rows.size() == 1) {
        return Future.succeededFuture(new Scan(Scan.Result.ADMITTED, toTicket(rows.iterator().next(), labels)));
      }
      return timed(pool.preparedQuery(ONE).execute(Tuple.of(c.ticketId(), c.eventId()))).map(found -> {
        if (found.size() == 0) {
          return new Scan(Scan.Result.UNKNOWN, null);
        }
        Ticket t = toTicket(found.iterator().next(), labels);
        return switch (t.status()) {
          case "USED" -> new Scan(Scan.Result.ALREADY_USED, t);
          case "VOID" -> new Scan(Scan.Result.VOID, t);
          // VALID again cannot happen (nothing turns a ticket back to VALID); treat as a lost race, not an entry.
          default -> new Scan(Scan.Result.UNKNOWN, t);
        };
      });
    });
  }

  /** Door-app sync: the event's counts and the ticket changes after {@code cursor}. */
  public Future<JsonObject> checkins(long eventId, long cursor, IntFunction<String> labels) {
    var counts = timed(pool.preparedQuery(COUNTS).execute(Tuple.of(eventId)));
    var changes = timed(pool.preparedQuery(CHANGES).execute(Tuple.of(eventId, cursor, MAX_CHANGES)));
    return Future.all(counts, changes).map(all -> {
      Row n = counts.result().iterator().next();
      JsonArray list = new JsonArray();
      long last = cursor;
      for (Row r : changes.result()) {
        Ticket t = toTicket(r, labels);
        JsonObject change = new JsonObject().put("id", t.id().toString()).put("seat", t.seat()).put("label", t.label())
            .put("status", t.status());
        if (t.checkedInAt() != null) {
          change.put("checkedInAt", t.checkedInAt().toString());
        }
        list.add(change);
        last = r.getLong("changed_seq");
      }
      return new JsonObject()
          .put("checkedIn", n.getLong("used"))
          .put("valid", n.getLong("valid"))
          .put("void", n.getLong("void"))
          .put("changes", list)
          .put("cursor", Long.toString(last))
          .put("more", list.size() == MAX_CHANGES);
    });
  }

  private Future<List<Ticket>> list(Future<io.vertx.sqlclient.RowSet<Row>> query, IntFunction<String> labels) {
    return timed(query).compose(rows -> {
      List<Ticket> out = new ArrayList<>(rows.size());
      List<UUID> unsigned = new ArrayList<>();
      List<String> codes = new ArrayList<>();
      for (Row r : rows) {
        Ticket t = toTicket(r, labels);
        if (t.code() == null) {
          // Codes are signed when a ticket is first listed, not in the order's transaction (signing is the
          // costliest step of a confirm): sign now and keep it (the first writer wins; both codes verify).
          String code = keys.sign(new TicketClaims(t.id(), t.eventId(), t.seat(), t.holder()));
          unsigned.add(t.id());
          codes.add(code);
          t = new Ticket(t.id(), t.orderId(), t.eventId(), t.seat(), t.label(), t.holder(), t.status(), code, t.checkedInAt());
        }
        out.add(t);
      }
      if (unsigned.isEmpty()) {
        return Future.succeededFuture(out);
      }
      // One statement (one commit) for all of the listing's new codes.
      return timed(pool.preparedQuery(SET_CODES).execute(Tuple.tuple()
          .addValue(unsigned.toArray(new UUID[0])).addValue(codes.toArray(new String[0]))))
          .map(out);
    });
  }

  static Ticket toTicket(Row r, IntFunction<String> labels) {
    int seat = r.getInteger("seat_id");
    OffsetDateTime at = r.getOffsetDateTime("checked_in_at");
    Instant checkedIn = at == null ? null : at.toInstant();
    return new Ticket(r.getUUID("id"), r.getUUID("order_id"), r.getLong("event_id"), seat, labels.apply(seat),
        r.getString("holder"), r.getString("status"), r.getString("code"), checkedIn);
  }

  private <T> Future<T> timed(Future<T> f) {
    return f.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
