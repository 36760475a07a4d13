package dev.ticketrush.order;

import dev.ticketrush.outcome.Outcome;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Purchases, orders and tickets in PostgreSQL, the truth for money and seats. Every write after the claim is
 * fenced by the claim token and the expected phase: a write whose token was taken over changes nothing and
 * reports {@code false}. Every call has a deadline.
 */
public final class PurchaseRepository {
  static final String UNIQUE_VIOLATION = "23505";

  private static final String COLUMNS = "user_id, key, request_hash, phase, claim_token, event_id, seats, payment_token, "
      + "amount_cents, currency, charge_key, charge_id, outcome, body, attempts, created_at";
  private static final String CLAIM =
      "INSERT INTO purchases (user_id, key, request_hash, phase, claim_token, event_id, seats, payment_token, amount_cents, "
          + "currency, charge_key, deadline) "
          + "VALUES ($1, $2, $3, 'CHARGING', $4, $5, $6, $7, $8, $9, $10, now() + make_interval(secs => $11)) "
          + "ON CONFLICT DO NOTHING";
  /** Many claims in one statement (one commit): the rows inserted answer by their claim tokens, unique per request. */
  private static final String CLAIM_MANY =
      "INSERT INTO purchases (user_id, key, request_hash, phase, claim_token, event_id, seats, payment_token, amount_cents, "
          + "currency, charge_key, deadline) "
          + "SELECT u, k, h, 'CHARGING', t, e, s::int[], pt, a, c, ck, now() + make_interval(secs => d) "
          + "FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::int8[], $6::text[], $7::text[], $8::int8[], "
          + "$9::text[], $10::text[], $11::float8[]) AS x(u, k, h, t, e, s, pt, a, c, ck, d) "
          + "ON CONFLICT DO NOTHING RETURNING claim_token";
  private static final String FIND = "SELECT " + COLUMNS + " FROM purchases WHERE user_id = $1 AND key = $2";
  private static final String RELEASE_CLAIM =
      "DELETE FROM purchases WHERE user_id = $1 AND key = $2 AND claim_token = $3 AND phase = 'CLAIMED'";
  private static final String ADVANCE =
      "UPDATE purchases SET phase = $4, charge_id = coalesce($5, charge_id), deadline = now() + make_interval(secs => $6), "
          + "updated_at = now() WHERE user_id = $1 AND key = $2 AND claim_token = $3 AND phase = ANY($7::text[])";
  private static final String DECIDE =
      "UPDATE purchases SET phase = $4, outcome = $5, body = $6, deadline = now() + make_interval(secs => $7), "
          + "charge_id = coalesce($9, charge_id), updated_at = now() "
          + "WHERE user_id = $1 AND key = $2 AND claim_token = $3 AND phase = ANY($8::text[])";
  /** From CHARGING (the request path, straight after the approval) or CHARGED (the completer's path). */
  private static final String CONFIRM =
      "UPDATE purchases SET phase = 'CONFIRMED', outcome = 'ORDER_CONFIRMED', body = $4, order_id = $5, charge_id = $6, "
          + "updated_at = now() WHERE user_id = $1 AND key = $2 AND claim_token = $3 AND phase IN ('CHARGING', 'CHARGED')";
  private static final String REFUNDED =
      "UPDATE purchases SET phase = 'REFUNDED', updated_at = now() "
          + "WHERE user_id = $1 AND key = $2 AND claim_token = $3 AND phase = 'REFUNDING'";
  /** Takes over due purchases: one token per pass, rows locked by another completer are skipped. */
  private static final String TAKE_DUE =
      "UPDATE purchases SET claim_token = $1, deadline = now() + make_interval(secs => $2), attempts = attempts + 1 "
          + "WHERE (user_id, key) IN (SELECT user_id, key FROM purchases "
          + "WHERE phase IN ('CLAIMED', 'CHARGING', 'CHARGED', 'REFUNDING') AND deadline < now() "
          + "ORDER BY deadline LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS;
  /** Purchases whose outcome has been unknown (or unfinished) for long: the gauge operators alert on. */
  private static final String UNFINISHED_OLDER_THAN = "SELECT count(*) FROM purchases "
      + "WHERE phase IN ('CLAIMED', 'CHARGING', 'CHARGED', 'REFUNDING') AND created_at < now() - make_interval(secs => $1)";
  private static final String INSERT_ORDER =
      "INSERT INTO orders (id, event_id, user_id, status, seats, payment_ref, created_at, currency, total_cents) "
          + "VALUES ($1, $2, $3, 'CONFIRMED', $4, $5, $6, $7, $8)";
  /**
   * maxTicketsPerUser, re-checked where the tickets are the truth: one lock per (event, user) for the rest of the
   * transaction, so two purchases of one user in one event count one after the other (other users never wait).
   */
  private static final String LOCK_BUYER = "SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))";
  private static final String TICKETS_OF_BUYER = "SELECT e.max_tickets_per_user, (SELECT count(*) FROM tickets t "
      + "WHERE t.event_id = $1 AND t.holder = $2 AND t.status <> 'VOID') FROM events e WHERE e.id = $1";
  private static final String INSERT_TICKETS =
      // In seat order: two confirms over overlapping seats lock the same index entries in the same order, so
      // one waits for the other (and fails on the UNIQUE) instead of both deadlocking (40P01). No code yet: a
      // ticket's code is signed when the ticket is first listed (ticket/TicketBook), outside the rush's commits.
      "INSERT INTO tickets (event_id, seat_id, order_id, id, holder) SELECT $1, t.s, $3, t.id, $4 "
          + "FROM unnest($2::int[], $5::uuid[]) AS t(s, id) ORDER BY t.s";
  private static final String BY_ID =
      "SELECT id, event_id, user_id, status, seats, created_at, currency, total_cents FROM orders WHERE id = $1";
  private static final String BY_USER =
      "SELECT id, event_id, user_id, status, seats, created_at, currency, total_cents FROM orders "
          + "WHERE event_id = $1 AND user_id = $2 ORDER BY created_at, id";

  /**
   * Group commit's shape: at most this many confirm transactions at once (the pool has more connections for the
   * claims, reads and the completer), each carrying up to MAX_BATCH purchases.
   */
  private static final int CONFIRM_BATCHES = 3;
  private static final int CLAIM_BATCHES = 2;
  private static final int MAX_BATCH = 32;

  private final Pool pool;
  private final long timeoutMs;
  private final GroupCommit<Confirm, Boolean> confirms;
  private final GroupCommit<Claim, Boolean> claims;

  /**
   * @param timeoutMs the deadline of every statement and transaction (a hung connection is a failure)
   */
  public PurchaseRepository(Pool pool, long timeoutMs) {
    this.pool = pool;
    this.timeoutMs = timeoutMs;
    this.confirms = new GroupCommit<>(CONFIRM_BATCHES, MAX_BATCH, this::confirmBatch);
    this.claims = new GroupCommit<>(CLAIM_BATCHES, MAX_BATCH, this::claimBatch);
  }

  /**
   * Records how many purchases each group commit carried ({@code ticketrush_purchase_group_commit_size}, by
   * {@code write}: claim or confirm): its mean is the purchases per commit.
   */
  public PurchaseRepository measuredIn(MeterRegistry registry) {
    confirms.observedBy(batchSizes(registry, "confirm")::record);
    claims.observedBy(batchSizes(registry, "claim")::record);
    return this;
  }

  private static DistributionSummary batchSizes(MeterRegistry registry, String write) {
    return DistributionSummary.builder("ticketrush.purchase.group.commit.size")
        .description("Purchases carried by one PostgreSQL commit (group commit)").tag("write", write)
        .register(registry);
  }

  /**
   * Inserts the claim; false when the key already has a row. Concurrent claims are group-committed: one
   * multi-row insert and one commit for a batch, each claim answered by whether its own row went in.
   */
  Future<Boolean> claim(Purchase p, long deadlineSeconds) {
    return timed(claims.submit(new Claim(p, deadlineSeconds)));
  }

  private record Claim(Purchase purchase, long deadlineSeconds) {
  }

  private Future<Void> claimBatch(List<GroupCommit.Write<Claim, Boolean>> batch) {
    if (batch.size() == 1) {
      return claimOne(batch.get(0));
    }
    int n = batch.size();
    String[] users = new String[n], keys = new String[n], hashes = new String[n], seats = new String[n],
        tokens = new String[n], currencies = new String[n], chargeKeys = new String[n];
    UUID[] claimTokens = new UUID[n];
    Long[] events = new Long[n], amounts = new Long[n];
    Double[] deadlines = new Double[n];
    for (int i = 0; i < n; i++) {
      Purchase p = batch.get(i).item.purchase();
      users[i] = p.user();
      keys[i] = p.key();
      hashes[i] = p.requestHash();
      claimTokens[i] = p.claimToken();
      events[i] = p.eventId();
      seats[i] = p.seats().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "{", "}"));
      tokens[i] = p.paymentToken();
      amounts[i] = p.amountCents();
      currencies[i] = p.currency();
      chargeKeys[i] = p.chargeKey();
      deadlines[i] = (double) batch.get(i).item.deadlineSeconds();
    }
    return timed(pool.preparedQuery(CLAIM_MANY).execute(Tuple.from(Arrays.<Object>asList(users, keys, hashes, claimTokens,
        events, seats, tokens, amounts, currencies, chargeKeys, deadlines)))).transform(ar -> {
          if (ar.failed()) {
            // Nothing was inserted: each claim on its own, so that one row's problem is that claim's alone.
            return Future.join(batch.stream().map(this::claimOne).toList()).mapEmpty();
          }
          java.util.Set<UUID> inserted = new java.util.HashSet<>();
          ar.result().forEach(r -> inserted.add(r.getUUID(0)));
          batch.forEach(w -> w.succeed(inserted.contains(w.item.purchase().claimToken())));
          return Future.succeededFuture();
        });
  }

  private Future<Void> claimOne(GroupCommit.Write<Claim, Boolean> w) {
    Purchase p = w.item.purchase();
    return timed(pool.preparedQuery(CLAIM).execute(Tuple.from(Arrays.asList(p.user(), p.key(), p.requestHash(),
        p.claimToken(), p.eventId(), p.seats().toArray(new Integer[0]), p.paymentToken(), p.amountCents(), p.currency(),
        p.chargeKey(), (double) w.item.deadlineSeconds())))).transform(ar -> {
          if (ar.succeeded()) {
            w.succeed(ar.result().rowCount() == 1);
          } else {
            w.fail(ar.cause());
          }
          return Future.succeededFuture();
        });
  }

  Future<Purchase> find(String user, String key) {
    return timed(pool.preparedQuery(FIND).execute(Tuple.of(user, key)))
        .map(rows -> rows.size() == 0 ? null : toPurchase(rows.iterator().next()));
  }

  /** Gives the key back (a refusal before payment is not stored, so the client may retry). */
  Future<Boolean> releaseClaim(Purchase p) {
    return fenced(pool.preparedQuery(RELEASE_CLAIM).execute(Tuple.of(p.user(), p.key(), p.claimToken())));
  }

  /** Moves to {@code to} (recording the charge id when given) if still in one of {@code from} under our token. */
  Future<Boolean> advance(Purchase p, PurchasePhase to, String chargeId, long deadlineSeconds, PurchasePhase... from) {
    return fenced(pool.preparedQuery(ADVANCE).execute(Tuple.from(Arrays.asList(p.user(), p.key(), p.claimToken(),
        to.name(), chargeId, (double) deadlineSeconds, names(from)))));
  }

  /** Stores a decided answer that is not an order (declined, failed, refunding). */
  Future<Boolean> decide(Purchase p, PurchasePhase to, Outcome outcome, String body, long deadlineSeconds,
                         PurchasePhase... from) {
    return fenced(pool.preparedQuery(DECIDE).execute(Tuple.from(Arrays.asList(p.user(), p.key(), p.claimToken(),
        to.name(), outcome.name(), body, (double) deadlineSeconds, names(from), p.chargeId()))));
  }

  Future<Boolean> refunded(Purchase p) {
    return fenced(pool.preparedQuery(REFUNDED).execute(Tuple.of(p.user(), p.key(), p.claimToken())));
  }

  /** Takes over up to {@code limit} purchases past their deadline for {@code leaseSeconds}, under {@code token}. */
  Future<List<Purchase>> takeDue(UUID token, long leaseSeconds, int limit) {
    return timed(pool.preparedQuery(TAKE_DUE).execute(Tuple.of(token, (double) leaseSeconds, limit))).map(rows -> {
      List<Purchase> out = new ArrayList<>();
      rows.forEach(r -> out.add(toPurchase(r)));
      return out;
    });
  }

  /** How many purchases are unfinished and older than {@code seconds}. */
  Future<Long> unfinishedOlderThan(long seconds) {
    return timed(pool.preparedQuery(UNFINISHED_OLDER_THAN).execute(Tuple.of((double) seconds)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Order, tickets, the charge id and the stored answer, all or nothing, fenced: the purchase must still be
   * CHARGING or CHARGED under our token, or nothing is written. A seat already sold fails the UNIQUE (event_id, seat_id) constraint;
   * tickets past the event's maxTicketsPerUser for this buyer fail with {@link OverTicketLimit} (Redis counts
   * them first; this is the truth's check, for a Redis that lost its count). Succeeds with false when fenced out.
   *
   * <p>Concurrent confirms are group-committed ({@link GroupCommit}): each runs under its own savepoint inside a
   * shared transaction, so one commit carries many orders and each keeps its own outcome. The answer comes after
   * the commit: true means durable.
   */
  Future<Boolean> confirm(Purchase p, Order order, String answer) {
    return timed(confirms.submit(new Confirm(p, order, answer)));
  }

  private record Confirm(Purchase purchase, Order order, String answer) {
  }

  /**
   * One batch of confirms: one transaction, a savepoint per purchase, in buyer-lock order (see below), and the
   * whole batch pipelined: every purchase's statements go out at once (one round trip for the batch, not one or
   * two per purchase: with the purchases sent one after another a full batch was a queue of round trips, and the
   * confirm batches ran full while PostgreSQL waited for the client).
   */
  private Future<Void> confirmBatch(List<GroupCommit.Write<Confirm, Boolean>> batch) {
    // Two batches take their buyers' advisory locks in the same order, so they never wait for each other in a cycle.
    List<GroupCommit.Write<Confirm, Boolean>> ordered = new ArrayList<>(batch);
    ordered.sort(java.util.Comparator.comparing((GroupCommit.Write<Confirm, Boolean> w) -> w.item.purchase().eventId())
        .thenComparing(w -> w.item.purchase().user()));
    List<Runnable> afterCommit = new ArrayList<>();
    // BEGIN and COMMIT by hand: the client's transaction object turns the commit into a rollback after any failed
    // statement, and here a purchase's failed statement is rolled back to its savepoint, not the whole batch.
    return timed(pool.withConnection(conn -> conn.query("BEGIN").execute()
        .compose(v -> confirmFrom(conn, ordered, 0, afterCommit))
        .compose(v -> {
          // PostgreSQL answers COMMIT of an aborted transaction with a rollback, not an error: the SELECT before
          // it fails in that state, so a batch is answered true only when its commit really committed.
          Future<RowSet<Row>> healthy = conn.query("SELECT 1").execute();
          Future<RowSet<Row>> commit = conn.query("COMMIT").execute();
          return Future.all(healthy, commit).<Void>mapEmpty();
        }).recover(err -> conn.query("ROLLBACK").execute().transform(ignored -> Future.<Void>failedFuture(err)))))
        .onSuccess(v -> afterCommit.forEach(Runnable::run)).mapEmpty();
  }

  /**
   * Sends the statements of purchases {@code from..} at once, each purchase under its own savepoint ({@code c<i>},
   * nested, never released: a later refusal must still be able to roll back to it). Then reads the answers in
   * order. The first purchase refused (fenced, over the cap, a seat already sold) is rolled back to its savepoint,
   * which also undoes every later purchase (they ran after it, or failed because its error aborted the
   * transaction): it is answered at once (nothing of it is written, whatever the batch does), and the purchases
   * after it are sent again. A success is answered after the commit. In a rush refusals are rare, so a batch is
   * usually one round trip.
   */
  private Future<Void> confirmFrom(SqlConnection conn, List<GroupCommit.Write<Confirm, Boolean>> ordered, int from,
      List<Runnable> afterCommit) {
    if (from == ordered.size()) {
      return Future.succeededFuture();
    }
    List<ConfirmStatements> sent = new ArrayList<>();
    List<Future<?>> all = new ArrayList<>();
    for (int i = from; i < ordered.size(); i++) {
      ConfirmStatements c = ConfirmStatements.send(conn, ordered.get(i).item, "c" + i);
      sent.add(c);
      all.addAll(c.all());
    }
    return Future.join(all).transform(done -> {
      for (int k = 0; k < sent.size(); k++) {
        ConfirmStatements c = sent.get(k);
        if (c.savepoint.failed()) {
          // The first savepoint failing means the transaction itself is gone (the batch fails); a later one only
          // fails after an earlier purchase's error, which the loop stops at first.
          return Future.failedFuture(c.savepoint.cause());
        }
        Throwable refused = c.refusal();
        GroupCommit.Write<Confirm, Boolean> w = ordered.get(from + k);
        if (refused == null) {
          afterCommit.add(() -> w.succeed(true));
          continue;
        }
        int next = from + k + 1;
        return conn.query("ROLLBACK TO SAVEPOINT " + c.name).execute().compose(v -> {
          if (refused instanceof Fenced) {
            w.succeed(false);
          } else {
            w.fail(refused);
          }
          return confirmFrom(conn, ordered, next, afterCommit);
        });
      }
      return Future.succeededFuture();
    });
  }

  /** One purchase's confirm, as sent: its savepoint and statements, and what their answers make of it. */
  private record ConfirmStatements(String name, Future<RowSet<Row>> savepoint, Future<RowSet<Row>> lock,
      Future<RowSet<Row>> fence, Future<RowSet<Row>> insertOrder, Future<RowSet<Row>> issued,
      Future<RowSet<Row>> owned, int seats) {

    static ConfirmStatements send(SqlConnection conn, Confirm c, String name) {
      Purchase p = c.purchase();
      Order order = c.order();
      return new ConfirmStatements(name,
          conn.query("SAVEPOINT " + name).execute(),
          conn.preparedQuery(LOCK_BUYER).execute(Tuple.of(Long.toString(p.eventId()), p.user())),
          conn.preparedQuery(CONFIRM).execute(Tuple.of(p.user(), p.key(), p.claimToken(), c.answer(), order.id(), p.chargeId())),
          PurchaseRepository.insertOrder(conn, order, p.chargeId()),
          PurchaseRepository.insertTickets(conn, order),
          conn.preparedQuery(TICKETS_OF_BUYER).execute(Tuple.of(order.eventId(), p.user())),
          order.seats().size());
    }

    List<Future<?>> all() {
      return List.of(savepoint, lock, fence, insertOrder, issued, owned);
    }

    /** Why this purchase is refused (its first failed statement, fenced out, over the cap), or null. */
    Throwable refusal() {
      Throwable refused = firstFailure(lock, fence, insertOrder, issued, owned);
      if (refused == null && fence.result().rowCount() != 1) {
        refused = new Fenced();
      }
      if (refused == null) {
        Row r = owned.result().iterator().next();
        Integer cap = r.getInteger(0);
        long tickets = r.getLong(1);
        // What the buyer held before this order (its own tickets are counted already): what is left of the cap.
        if (cap != null && tickets > cap) {
          refused = new OverTicketLimit((int) Math.max(0, cap - (tickets - seats)));
        }
      }
      return refused;
    }
  }

  private static Throwable firstFailure(Future<?>... statements) {
    for (Future<?> f : statements) {
      if (f.failed()) {
        return f.cause();
      }
    }
    return null;
  }

  /** One ticket per seat, each with its own id (holder: the buyer), in seat order. */
  private static Future<RowSet<Row>> insertTickets(SqlConnection conn, Order order) {
    Integer[] seats = order.seats().stream().sorted().toArray(Integer[]::new);
    UUID[] ids = new UUID[seats.length];
    for (int i = 0; i < seats.length; i++) {
      ids[i] = UUID.randomUUID();
    }
    return conn.preparedQuery(INSERT_TICKETS)
        .execute(Tuple.from(Arrays.asList(order.eventId(), seats, order.id(), order.userId(), ids)));
  }

  private static Future<RowSet<Row>> insertOrder(SqlConnection conn, Order o, String paymentRef) {
    return conn.preparedQuery(INSERT_ORDER)
        .execute(Tuple.from(Arrays.asList(o.id(), o.eventId(), o.userId(), o.seats().toArray(new Integer[0]), paymentRef,
            o.createdAt().atOffset(ZoneOffset.UTC), o.currency(), o.total())));
  }

  public Future<Order> find(UUID id) {
    return timed(pool.preparedQuery(BY_ID).execute(Tuple.of(id)))
        .map(rows -> rows.size() == 0 ? null : toOrder(rows.iterator().next()));
  }

  public Future<List<Order>> byUser(long eventId, String user) {
    return timed(pool.preparedQuery(BY_USER).execute(Tuple.of(eventId, user))).map(rows -> {
      List<Order> list = new ArrayList<>();
      rows.forEach(r -> list.add(toOrder(r)));
      return list;
    });
  }

  static boolean isUniqueViolation(Throwable t) {
    return t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private <T> Future<T> timed(Future<T> f) {
    return f.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private Future<Boolean> fenced(Future<RowSet<Row>> update) {
    return timed(update).map(r -> r.rowCount() == 1);
  }

  private static String[] names(PurchasePhase... phases) {
    return Arrays.stream(phases).map(Enum::name).toArray(String[]::new);
  }

  /** The transaction was fenced out: rolled back, nothing written. */
  /** The purchase would take its buyer past the event's maxTicketsPerUser: rolled back (then refunded). */
  static final class OverTicketLimit extends RuntimeException {
    final int remaining;

    OverTicketLimit(int remaining) {
      super("over maxTicketsPerUser", null, false, false);
      this.remaining = remaining;
    }
  }

  private static final class Fenced extends RuntimeException {
    Fenced() {
      super("fenced", null, false, false);
    }
  }

  private static Purchase toPurchase(Row r) {
    Integer[] seats = r.getArrayOfIntegers("seats");
    String outcome = r.getString("outcome");
    Long amount = r.getLong("amount_cents");
    Long event = r.getLong("event_id");
    return new Purchase(r.getString("user_id"), r.getString("key"), r.getString("request_hash"),
        PurchasePhase.valueOf(r.getString("phase")), r.getUUID("claim_token"), event == null ? 0 : event,
        seats == null ? List.of() : List.of(seats), r.getString("payment_token"), amount == null ? 0 : amount,
        r.getString("currency"), r.getString("charge_key"), r.getString("charge_id"), outcome == null ? null : Outcome.valueOf(outcome),
        r.getString("body"), r.getInteger("attempts"), r.getOffsetDateTime("created_at").toInstant());
  }

  private static Order toOrder(Row r) {
    Integer[] seats = r.getArrayOfIntegers("seats");
    Instant created = r.getOffsetDateTime("created_at").toInstant();
    return new Order(r.getUUID("id"), r.getLong("event_id"), r.getString("user_id"), List.of(seats), r.getString("status"), created,
        r.getString("currency"), r.getLong("total_cents"));
  }
}
