package dev.ticketrush.event;

import dev.ticketrush.web.StorableText;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated create-event request. The OpenAPI contract checks shapes and ranges; the rules that span
 * several fields (total seats, unique names, known categories, row ranges, the sale window) live here.
 */
public record NewEvent(String name, List<Section> sections, long holdTtlMs, int maxSeatsPerUser,
                       QueueSettings queue, Integer rateLimitUser, Integer rateLimitIp,
                       String currency, List<Category> categories, SaleSettings sale, List<Allocation> allocations) {

  public int seatCount() {
    return sections.stream().mapToInt(Section::seatCount).sum();
  }

  public static NewEvent parse(JsonObject body, long defaultHoldTtlMs) {
    String name = StorableText.check("name", body.getString("name")).strip();
    if (name.isEmpty()) {
      throw Rejection.invalid("name must not be blank");
    }
    List<Category> categories = categories(body.getJsonArray("categories"));
    Set<String> categoryIds = new HashSet<>();
    categories.forEach(c -> categoryIds.add(c.id()));
    JsonArray secs = body.getJsonArray("sections");
    List<Section> sections = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long total = 0;
    for (int i = 0; i < secs.size(); i++) {
      Section s = section("sections[" + i + "]", secs.getJsonObject(i), categoryIds);
      if (!names.add(s.name())) {
        throw Rejection.invalid("sections[" + i + "].name '" + s.name() + "' is used twice");
      }
      total += s.seatCount();
      sections.add(s);
    }
    if (total > Event.MAX_SEATS) {
      throw Rejection.invalid("sections: an event holds at most " + Event.MAX_SEATS + " seats, these add up to " + total);
    }
    JsonObject limits = body.getJsonObject("rateLimits", new JsonObject());
    Instant salesStart = instant(body, "salesStartAt");
    Instant salesEnd = instant(body, "salesEndAt");
    if (salesStart != null && salesEnd != null && !salesEnd.isAfter(salesStart)) {
      throw Rejection.invalid("salesEndAt must be after salesStartAt");
    }
    QueueSettings queue;
    try {
      queue = QueueSettings.fromJson(body.getJsonObject("queue"));
    } catch (DateTimeParseException e) {
      throw Rejection.invalid("queue.saleStartsAt must be an ISO-8601 instant such as 2026-12-01T18:00:00Z");
    }
    if (queue.saleStartsAt() == null && salesStart != null) {
      // The waiting room's draw happens when the sale opens unless the queue names its own moment.
      queue = new QueueSettings(queue.enabled(), queue.admitPerSecond(), queue.maxActive(), salesStart, queue.entryTtlSeconds());
    }
    return new NewEvent(
        name,
        List.copyOf(sections),
        body.getLong("holdTtlMs", defaultHoldTtlMs),
        body.getInteger("maxSeatsPerUser", 4),
        queue,
        limits.getInteger("perUser"),
        limits.getInteger("perIp"),
        body.getString("currency", "USD"),
        categories,
        new SaleSettings(body.getInteger("maxTicketsPerUser"), salesStart, salesEnd, true, 0, instant(body, "refundableUntil")),
        allocations(body.getJsonArray("allocations"), names));
  }

  /**
   * Presale allocations: ids like category ids and unique, each naming existing sections, and a section reserved
   * by one allocation at most (a seat is closed or open to a code by exactly one rule).
   */
  private static List<Allocation> allocations(JsonArray raw, Set<String> sectionNames) {
    if (raw == null) {
      return List.of();
    }
    if (raw.size() > Allocation.MAX_ALLOCATIONS) {
      throw Rejection.invalid("allocations: at most " + Allocation.MAX_ALLOCATIONS);
    }
    List<Allocation> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> reserved = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      String at = "allocations[" + i + "]";
      JsonObject a = raw.getJsonObject(i);
      String id = a.getString("id");
      if (!ids.add(id)) {
        throw Rejection.invalid(at + ".id '" + id + "' is used twice");
      }
      List<String> sections = new ArrayList<>();
      JsonArray secs = a.getJsonArray("sections");
      for (int j = 0; j < secs.size(); j++) {
        String name = secs.getString(j);
        if (!sectionNames.contains(name)) {
          throw Rejection.invalid(at + ".sections[" + j + "]: this event has no section '" + name + "'");
        }
        if (!reserved.add(name)) {
          throw Rejection.invalid(at + ".sections[" + j + "]: section '" + name + "' is already reserved by an allocation");
        }
        sections.add(name);
      }
      Instant releaseAt = instant(a, "releaseAt");
      if (releaseAt == null) {
        throw Rejection.invalid(at + ".releaseAt is required");
      }
      out.add(new Allocation(id, List.copyOf(sections), releaseAt));
    }
    return List.copyOf(out);
  }

  private static List<Category> categories(JsonArray raw) {
    if (raw == null) {
      return List.of(Category.STANDARD);
    }
    if (raw.isEmpty()) {
      throw Rejection.invalid("categories: give at least one category, or leave the field out for the standard one");
    }
    List<Category> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      JsonObject c = raw.getJsonObject(i);
      String id = c.getString("id");
      if (!ids.add(id)) {
        throw Rejection.invalid("categories[" + i + "].id '" + id + "' is used twice");
      }
      String name = StorableText.check("categories[" + i + "].name", c.getString("name")).strip();
      if (name.isEmpty()) {
        throw Rejection.invalid("categories[" + i + "].name must not be blank");
      }
      out.add(new Category(id, name, c.getLong("price")));
    }
    return List.copyOf(out);
  }

  private static Section section(String where, JsonObject json, Set<String> categoryIds) {
    Section s = Section.fromJson(json);
    if (s.category() != null && !categoryIds.contains(s.category())) {
      throw Rejection.invalid(where + ".category: no category '" + s.category() + "' in this event's categories");
    }
    if (s.standing()) {
      if (s.capacity() < 1 || json.containsKey("rows") || json.containsKey("seatsPerRow") || !s.rowCategories().isEmpty()) {
        throw Rejection.invalid(where + ": a standing area has a capacity (1.." + Event.MAX_SEATS
            + ") and no rows, seatsPerRow or rowCategories");
      }
      return s;
    }
    if (s.rows() < 1 || s.seatsPerRow() < 1 || json.containsKey("capacity")) {
      throw Rejection.invalid(where + ": a seated section has rows and seatsPerRow (a standing area has \"standing\": true and a capacity)");
    }
    List<RowCategory> ranges = s.rowCategories();
    for (int i = 0; i < ranges.size(); i++) {
      RowCategory rc = ranges.get(i);
      String at = where + ".rowCategories[" + i + "]";
      if (rc.fromRow() < 1 || rc.toRow() < rc.fromRow() || rc.toRow() > s.rows()) {
        throw Rejection.invalid(at + ": rows " + rc.fromRow() + ".." + rc.toRow() + " are not within 1.." + s.rows());
      }
      if (!categoryIds.contains(rc.category())) {
        throw Rejection.invalid(at + ".category: no category '" + rc.category() + "' in this event's categories");
      }
      for (int j = 0; j < i; j++) {
        RowCategory other = ranges.get(j);
        if (rc.fromRow() <= other.toRow() && other.fromRow() <= rc.toRow()) {
          throw Rejection.invalid(at + ": rows " + rc.fromRow() + ".." + rc.toRow() + " overlap rowCategories[" + j + "]");
        }
      }
    }
    return s;
  }

  static Instant instant(JsonObject body, String field) {
    String raw = body.getString(field);
    if (raw == null) {
      return null;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(raw).toInstant();
      } catch (DateTimeParseException e2) {
        throw Rejection.invalid(field + " must be an ISO-8601 instant such as 2026-12-01T18:00:00Z");
      }
    }
  }

  /**
   * The demo: 10,000 places in all. Sections A-C are front stalls for rows 1-5 and stalls behind, D-F stalls, G-I
   * the balcony (9 × 20 rows × 50 seats, labels {@code A-01-001}…{@code I-20-050}), then a standing floor of 1,000
   * ({@code Floor-0001}…); at most 8 tickets per fan, and fans may cancel their orders for a year from the seeding.
   */
  public static NewEvent demo(long holdTtlMs) {
    List<Category> categories = List.of(new Category("front", "Front stalls", 12_000), new Category("stalls", "Stalls", 7_500),
        new Category("balcony", "Balcony", 4_500), new Category("floor", "Standing floor", 6_000));
    List<Section> sections = new ArrayList<>();
    for (char c = 'A'; c <= 'I'; c++) {
      String name = String.valueOf(c);
      if (c <= 'C') {
        sections.add(new Section(name, 20, 50, "stalls", List.of(new RowCategory(1, 5, "front")), false, 0));
      } else {
        sections.add(new Section(name, 20, 50, c <= 'F' ? "stalls" : "balcony", List.of(), false, 0));
      }
    }
    sections.add(Section.standing("Floor", 1_000, "floor"));
    return new NewEvent("Ticket Rush Demo Concert", List.copyOf(sections), holdTtlMs, 4, QueueSettings.DISABLED, null, null,
        "USD", categories, new SaleSettings(8, null, null, true, 0, Instant.now().plus(Duration.ofDays(365))), List.of());
  }
}
