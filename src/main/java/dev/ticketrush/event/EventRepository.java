package dev.ticketrush.event;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Events in PostgreSQL. */
public final class EventRepository {
  private static final String COLUMNS =
      "id, name, sections, seat_count, hold_ttl_ms, max_seats_per_user, queue, rate_limits, created_at";
  private static final String INSERT =
      "INSERT INTO events (name, sections, seat_count, hold_ttl_ms, max_seats_per_user, queue, rate_limits, demo, created_by) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " + COLUMNS;
  private static final String INSERT_DEMO = INSERT.replace("RETURNING", "ON CONFLICT (demo) WHERE demo DO NOTHING RETURNING");
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM events WHERE id = $1";
  private static final String DEMO = "SELECT " + COLUMNS + " FROM events WHERE demo";
  private static final String ALL = "SELECT " + COLUMNS + " FROM events ORDER BY id";

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

  public Future<List<Event>> all() {
    return pool.query(ALL).execute().map(rows -> {
      List<Event> list = new ArrayList<>();
      rows.forEach(r -> list.add(toEvent(r)));
      return list;
    });
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
    return Tuple.from(List.of(e.name(), sections, e.seatCount(), e.holdTtlMs(), e.maxSeatsPerUser(),
        e.queue().toJson(), limits, demo, createdBy));
  }

  private static Event toEvent(Row r) {
    JsonArray secs = (JsonArray) r.getValue("sections");
    List<Section> sections = new ArrayList<>();
    for (int i = 0; i < secs.size(); i++) {
      sections.add(Section.fromJson(secs.getJsonObject(i)));
    }
    JsonObject limits = (JsonObject) r.getValue("rate_limits");
    OffsetDateTime created = r.getOffsetDateTime("created_at");
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
        created.toInstant());
  }
}
