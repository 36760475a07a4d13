package dev.ticketrush.event;

import dev.ticketrush.outcome.Rejection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated create-event request. The OpenAPI contract checks shapes and ranges; the rules that span
 * several fields (total seats, unique section names) live here.
 */
public record NewEvent(String name, List<Section> sections, long holdTtlMs, int maxSeatsPerUser,
                       QueueSettings queue, Integer rateLimitUser, Integer rateLimitIp) {

  public int seatCount() {
    return sections.stream().mapToInt(Section::seatCount).sum();
  }

  public static NewEvent parse(JsonObject body, long defaultHoldTtlMs) {
    String name = body.getString("name").strip();
    if (name.isEmpty()) {
      throw Rejection.invalid("name must not be blank");
    }
    JsonArray secs = body.getJsonArray("sections");
    List<Section> sections = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long total = 0;
    for (int i = 0; i < secs.size(); i++) {
      Section s = Section.fromJson(secs.getJsonObject(i));
      if (!names.add(s.name())) {
        throw Rejection.invalid("sections[" + i + "].name '" + s.name() + "' is used twice");
      }
      total += (long) s.rows() * s.seatsPerRow();
      sections.add(s);
    }
    if (total > Event.MAX_SEATS) {
      throw Rejection.invalid("sections: an event holds at most " + Event.MAX_SEATS + " seats, these add up to " + total);
    }
    JsonObject limits = body.getJsonObject("rateLimits", new JsonObject());
    QueueSettings queue;
    try {
      queue = QueueSettings.fromJson(body.getJsonObject("queue"));
    } catch (java.time.format.DateTimeParseException e) {
      throw Rejection.invalid("queue.saleStartsAt must be an ISO-8601 instant such as 2026-12-01T18:00:00Z");
    }
    return new NewEvent(
        name,
        List.copyOf(sections),
        body.getLong("holdTtlMs", defaultHoldTtlMs),
        body.getInteger("maxSeatsPerUser", 4),
        queue,
        limits.getInteger("perUser"),
        limits.getInteger("perIp"));
  }

  /** The 10,000-seat demo: sections A..J, 20 rows of 50 seats each, labels {@code A-01-001}…{@code J-20-050}. */
  public static NewEvent demo(long holdTtlMs) {
    List<Section> sections = new ArrayList<>();
    for (char c = 'A'; c <= 'J'; c++) {
      sections.add(new Section(String.valueOf(c), 20, 50));
    }
    return new NewEvent("Ticket Rush Demo Concert", List.copyOf(sections), holdTtlMs, 4, QueueSettings.DISABLED, null, null);
  }
}
