package dev.ticketrush.event;

import dev.ticketrush.outcome.Rejection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An event and its rules. Everything but {@link #sale()} is fixed at creation, which is why every node may cache
 * the layout and prices forever; the sale settings change by PATCH and are decided from Redis (see
 * docs/architecture.md, "Sale rules"), so a node's cached copy of them only serves reads.
 * {@code rateLimitUser}/{@code rateLimitIp} of null mean "use the service default".
 */
public record Event(
    long id,
    String name,
    List<Section> sections,
    int seatCount,
    long holdTtlMs,
    int maxSeatsPerUser,
    QueueSettings queue,
    Integer rateLimitUser,
    Integer rateLimitIp,
    Instant createdAt,
    String currency,
    List<Category> categories,
    SaleSettings sale,
    List<Allocation> allocations) {

  public static final int MAX_SEATS = 100_000;

  public Event {
    categories = categories == null || categories.isEmpty() ? List.of(Category.STANDARD) : List.copyOf(categories);
    currency = currency == null ? "USD" : currency;
    sale = sale == null ? SaleSettings.OPEN : sale;
    allocations = allocations == null ? List.of() : List.copyOf(allocations);
  }

  public Event withSale(SaleSettings s) {
    return new Event(id, name, sections, seatCount, holdTtlMs, maxSeatsPerUser, queue, rateLimitUser, rateLimitIp,
        createdAt, currency, categories, s, allocations);
  }

  public boolean hasSeat(long seatId) {
    return seatId >= 1 && seatId <= seatCount;
  }

  /** Seat ids of a request body; the contract checked types, range 1..100000 and uniqueness, this the event's range. */
  public List<Integer> seatIds(JsonArray array) {
    List<Integer> ids = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      int id = array.getInteger(i);
      if (!hasSeat(id)) {
        throw Rejection.invalid("seats[" + i + "]: seat " + id + " does not exist; this event has seats 1.." + seatCount);
      }
      ids.add(id);
    }
    return ids;
  }

  /** The presale allocation with this id, or null. */
  public Allocation allocation(String allocationId) {
    for (Allocation a : allocations) {
      if (a.id().equals(allocationId)) {
        return a;
      }
    }
    return null;
  }

  /** The seats presale allocations reserve, one range per reserved section (empty when the event has none). */
  public List<Allocation.Reserved> reserved() {
    List<Allocation.Reserved> out = new ArrayList<>();
    for (Allocation a : allocations) {
      int first = 1;
      for (Section s : sections) {
        if (a.sections().contains(s.name())) {
          out.add(new Allocation.Reserved(first, first + s.seatCount() - 1, a.id(), a.releaseAt().toEpochMilli()));
        }
        first += s.seatCount();
      }
    }
    return out;
  }

  /** The category with this id, or null. */
  public Category category(String categoryId) {
    for (Category c : categories) {
      if (c.id().equals(categoryId)) {
        return c;
      }
    }
    return null;
  }

  /** A section's category for a row (1-based; any row of a standing area). */
  Category categoryOf(Section s, int row) {
    String id = s.standing() ? s.category() : s.categoryOfRow(row);
    Category c = id == null ? null : category(id);
    return c == null ? categories.get(0) : c;
  }

  /** The category (and so the price) of one seat. */
  public Category categoryOf(int seatId) {
    int first = 1;
    for (Section s : sections) {
      if (seatId < first + s.seatCount()) {
        return categoryOf(s, s.standing() ? 1 : (seatId - first) / s.seatsPerRow() + 1);
      }
      first += s.seatCount();
    }
    throw new IllegalArgumentException("no seat " + seatId);
  }

  /**
   * Where best available may choose, in the contract's order: the sections in the event's order (only
   * {@code section} when given), their rows of the wanted {@code category} and at most {@code maxPrice} (each
   * null: any) as runs of consecutive rows. A standing area is a candidate only when asked for by its name or
   * its category: best available otherwise means seats side by side.
   */
  public List<SeatArea> bestCandidates(String section, String categoryId, Long maxPrice) {
    List<SeatArea> out = new ArrayList<>();
    int first = 1;
    for (Section s : sections) {
      if (section == null || section.equals(s.name())) {
        if (s.standing()) {
          if ((section != null || categoryId != null) && fits(categoryOf(s, 1), categoryId, maxPrice)) {
            out.add(new SeatArea(first, 0, s.capacity(), true));
          }
        } else {
          int runFrom = 0;
          for (int row = 1; row <= s.rows() + 1; row++) {
            boolean fit = row <= s.rows() && fits(categoryOf(s, row), categoryId, maxPrice);
            if (fit && runFrom == 0) {
              runFrom = row;
            } else if (!fit && runFrom != 0) {
              out.add(new SeatArea(first + (runFrom - 1) * s.seatsPerRow(), row - runFrom, s.seatsPerRow(), false));
              runFrom = 0;
            }
          }
        }
      }
      first += s.seatCount();
    }
    return out;
  }

  private static boolean fits(Category c, String categoryId, Long maxPrice) {
    return (categoryId == null || categoryId.equals(c.id())) && (maxPrice == null || c.price() <= maxPrice);
  }

  public JsonObject toJson() {
    JsonArray secs = new JsonArray();
    sections.forEach(s -> secs.add(s.toJson().put("category", s.category() == null ? categories.get(0).id() : s.category())));
    JsonArray cats = new JsonArray();
    categories.forEach(c -> cats.add(c.toJson()));
    JsonObject limits = new JsonObject();
    if (rateLimitUser != null) {
      limits.put("perUser", rateLimitUser);
    }
    if (rateLimitIp != null) {
      limits.put("perIp", rateLimitIp);
    }
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("sections", secs)
        .put("seatCount", seatCount)
        .put("holdTtlMs", holdTtlMs)
        .put("maxSeatsPerUser", maxSeatsPerUser)
        .put("queue", queue.toJson())
        .put("rateLimits", limits)
        .put("createdAt", createdAt.toString())
        .put("currency", currency)
        .put("categories", cats);
    JsonArray allocs = new JsonArray();
    allocations.forEach(a -> allocs.add(a.toJson()));
    json.put("allocations", allocs);
    sale.putInto(json);
    return json;
  }

  /** The layout answer, built once per event and node: labels, categories and prices are derived, never stored. */
  public Buffer layoutJson() {
    StringBuilder sb = new StringBuilder(seatCount * 100 + 16).append("{\"seats\":[");
    int id = 1;
    for (Section s : sections) {
      if (s.standing()) {
        Category c = categoryOf(s, 1);
        for (int n = 1; n <= s.capacity(); n++, id++) {
          if (id > 1) {
            sb.append(',');
          }
          sb.append("{\"id\":").append(id)
              .append(",\"label\":\"").append(standingLabel(s.name(), n))
              .append("\",\"section\":\"").append(s.name())
              .append("\",\"standing\":true");
          priced(sb, c);
        }
        continue;
      }
      for (int row = 1; row <= s.rows(); row++) {
        Category c = categoryOf(s, row);
        for (int n = 1; n <= s.seatsPerRow(); n++, id++) {
          if (id > 1) {
            sb.append(',');
          }
          sb.append("{\"id\":").append(id)
              .append(",\"label\":\"").append(label(s.name(), row, n))
              .append("\",\"section\":\"").append(s.name())
              .append("\",\"row\":").append(row)
              .append(",\"number\":").append(n);
          priced(sb, c);
        }
      }
    }
    return Buffer.buffer(sb.append("]}").toString());
  }

  /** The label of seat {@code seatId} (1..seatCount), as the layout shows it. */
  public String labelOf(int seatId) {
    int first = 1;
    for (Section s : sections) {
      int size = s.seatCount();
      if (seatId < first + size) {
        int offset = seatId - first;
        return s.standing() ? standingLabel(s.name(), offset + 1)
            : label(s.name(), offset / s.seatsPerRow() + 1, offset % s.seatsPerRow() + 1);
      }
      first += size;
    }
    throw new IllegalArgumentException("no seat " + seatId + " in event " + id);
  }

  /** Category ids are {@code [a-z0-9_-]} (the contract's pattern), so they need no JSON escaping. */
  private static void priced(StringBuilder sb, Category c) {
    sb.append(",\"category\":\"").append(c.id()).append("\",\"price\":").append(c.price()).append('}');
  }

  /** {@code A-01-001}: section, two-digit row, three-digit seat number (wider when a section needs it). */
  public static String label(String section, int row, int number) {
    return String.format("%s-%02d-%03d", section, row, number);
  }

  /** {@code FLOOR-0001}: a standing area's place, numbered only to tell places apart. */
  public static String standingLabel(String section, int number) {
    return String.format("%s-%04d", section, number);
  }
}
