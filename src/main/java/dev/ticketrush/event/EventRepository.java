package dev.ticketrush.event;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Events in PostgreSQL. */
public final class EventRepository {
  private static final String COLUMNS =
      "id, name, sections, seat_count, hold_ttl_ms, max_seats_per_user, queue, rate_limits, created_at, currency, "
          + "categories, max_tickets_per_user, sales_start_at, sales_end_at, on_sale, sale_revision, allocations, refundable_until";
  private static final String INSERT =
      "INSERT INTO events (name, sections, seat_count, hold_ttl_ms, max_seats_per_user, queue, rate_limits, demo, created_by, "
          + "currency, categories, max_tickets_per_user, sales_start_at, sales_end_at, allocations, refundable_until) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING " + COLUMNS;
  /** One statement, so two admins patching at once each apply their fields to the other's result. */
  private static final String PATCH_SALE = "UPDATE events SET "
      + "max_tickets_per_user = CASE WHEN $2 THEN $3::integer ELSE max_tickets_per_user END, "
      + "sales_start_at = CASE WHEN $4 THEN $5::timestamptz ELSE sales_start_at END, "
      + "sales_end_at = CASE WHEN $6 THEN $7::timestamptz ELSE sales_end_at END, "
      + "on_sale = CASE WHEN $8 THEN $9::boolean ELSE on_sale END, "
      + "refundable_until = CASE WHEN $10 THEN $11::timestamptz ELSE refundable_until END, "
      + "sale_revision = sale_revision + 1, changed_at = now() "
      + "WHERE id = $1 RETURNING " + COLUMNS;
  private static final String INSERT_DEMO = INSERT.replace("RETURNING", "ON CONFLICT (demo) WHERE demo DO NOTHING RETURNING");
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM events WHERE id = $1";
  private static final String DEMO = "SELECT " + COLUMNS + " FROM events WHERE demo";
  private static final String ALL = "SELECT " + COLUMNS + " FROM events ORDER BY id";
  private static final String CHANGED = "SELECT " + COLUMNS + ", changed_at FROM events WHERE changed_at > $1 ORDER BY id";

  private final Pool pool;

  public EventRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Event> insert(NewEvent e, String createdBy) {
    return pool.preparedQuery(INSERT).execute(params(e, false, createdBy))
        .map(rows -> toEvent(rows.iterator().next()));
  }

  /** Seeds the demo event once; concurrent boots race on a unique index and the loser reads the winner's row. */
  public Future<Event> insertDemoOnce(NewEvent e) {
    return pool.preparedQuery(INSERT_DEMO).execute(params(e, true, "seed"))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(toEvent(rows.iterator().next()))
            : pool.query(DEMO).execute().map(r -> toEvent(r.iterator().next())));
  }

  public Future<Event> find(long id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toEvent(rows.iterator().next()));
  }

  /** Events created or changed after {@code since}, and the newest change among them (or {@code since}). */
  public record Changed(List<Event> events, java.time.OffsetDateTime newest) {
  }

  public Future<Changed> changedSince(java.time.OffsetDateTime since) {
    return pool.preparedQuery(CHANGED).execute(Tuple.of(since)).map(rows -> {
      List<Event> list = new ArrayList<>();
      java.time.OffsetDateTime newest = since;
      for (Row r : rows) {
        list.add(toEvent(r));
        java.time.OffsetDateTime at = r.getOffsetDateTime("changed_at");
        if (at.isAfter(newest)) {
          newest = at;
        }
      }
      return new Changed(list, newest);
    });
  }

  public Future<List<Event>> all() {
    return pool.query(ALL).execute().map(rows -> {
      List<Event> list = new ArrayList<>();
      rows.forEach(r -> list.add(toEvent(r)));
      return list;
    });
  }

  /** The fields of a sale change; each {@code set*} says whether the request named it (null values clear). */
  public record SaleChange(boolean setMaxTickets, Integer maxTickets, boolean setStart, Instant start, boolean setEnd,
                           Instant end, boolean setOnSale, Boolean onSale, boolean setRefundableUntil,
                           Instant refundableUntil) {
    /** A change that leaves the refund window as it is. */
    public SaleChange(boolean setMaxTickets, Integer maxTickets, boolean setStart, Instant start, boolean setEnd,
                      Instant end, boolean setOnSale, Boolean onSale) {
      this(setMaxTickets, maxTickets, setStart, start, setEnd, end, setOnSale, onSale, false, null);
    }
  }

  /**
   * Applies a sale change; null when there is no such event. A window whose end would not be after its start
   * fails with the check constraint's SQLSTATE 23514 (see {@link #isCheckViolation}).
   */
  public Future<Event> patchSale(long id, SaleChange c) {
    return pool.preparedQuery(PATCH_SALE).execute(Tuple.from(java.util.Arrays.asList(id, c.setMaxTickets(), c.maxTickets(),
            c.setStart(), utc(c.start()), c.setEnd(), utc(c.end()), c.setOnSale(), c.onSale(), c.setRefundableUntil(),
            utc(c.refundableUntil()))))
        .map(rows -> rows.size() == 0 ? null : toEvent(rows.iterator().next()));
  }

  public static boolean isCheckViolation(Throwable err) {
    return err instanceof io.vertx.pgclient.PgException pg && "23514".equals(pg.getSqlState());
  }

  private static OffsetDateTime utc(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  private static Tuple params(NewEvent e, boolean demo, String createdBy) {
    JsonArray sections = new JsonArray();
    e.sections().forEach(s -> sections.add(s.toJson()));
    JsonObject limits = new JsonObject();
    if (e.rateLimitUser() != null) {
      limits.put("perUser", e.rateLimitUser());
    }
    if (e.rateLimitIp() != null) {
      limits.put("perIp", e.rateLimitIp());
    }
    JsonArray categories = new JsonArray();
    e.categories().forEach(c -> categories.add(c.toJson()));
    JsonArray allocations = new JsonArray();
    e.allocations().forEach(a -> allocations.add(a.toJson()));
    return Tuple.from(java.util.Arrays.asList(e.name(), sections, e.seatCount(), e.holdTtlMs(), e.maxSeatsPerUser(),
        e.queue().toJson(), limits, demo, createdBy, e.currency(), categories, e.sale().maxTicketsPerUser(),
        utc(e.sale().startsAt()), utc(e.sale().endsAt()), allocations, utc(e.sale().refundableUntil())));
  }

  private static Event toEvent(Row r) {
    JsonArray secs = (JsonArray) r.getValue("sections");
    List<Section> sections = new ArrayList<>();
    for (int i = 0; i < secs.size(); i++) {
      sections.add(Section.fromJson(secs.getJsonObject(i)));
    }
    JsonObject limits = (JsonObject) r.getValue("rate_limits");
    OffsetDateTime created = r.getOffsetDateTime("created_at");
    JsonArray cats = (JsonArray) r.getValue("categories");
    List<Category> categories = new ArrayList<>();
    for (int i = 0; i < cats.size(); i++) {
      categories.add(Category.fromJson(cats.getJsonObject(i)));
    }
    OffsetDateTime start = r.getOffsetDateTime("sales_start_at");
    OffsetDateTime end = r.getOffsetDateTime("sales_end_at");
    OffsetDateTime refundable = r.getOffsetDateTime("refundable_until");
    SaleSettings sale = new SaleSettings(r.getInteger("max_tickets_per_user"), start == null ? null : start.toInstant(),
        end == null ? null : end.toInstant(), r.getBoolean("on_sale"), r.getLong("sale_revision"),
        refundable == null ? null : refundable.toInstant());
    JsonArray allocs = (JsonArray) r.getValue("allocations");
    List<Allocation> allocations = new ArrayList<>();
    for (int i = 0; i < allocs.size(); i++) {
      allocations.add(Allocation.fromJson(allocs.getJsonObject(i)));
    }
    return new Event(
        r.getLong("id"),
        r.getString("name"),
        List.copyOf(sections),
        r.getInteger("seat_count"),
        r.getLong("hold_ttl_ms"),
        r.getInteger("max_seats_per_user"),
        QueueSettings.fromJson((JsonObject) r.getValue("queue")),
        limits.getInteger("perUser"),
        limits.getInteger("perIp"),
        created.toInstant(),
        r.getString("currency"),
        categories,
        sale,
        allocations);
  }
}
