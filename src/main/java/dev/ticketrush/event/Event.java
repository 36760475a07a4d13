package dev.ticketrush.event;

import dev.ticketrush.outcome.Rejection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An event and its fixed rules. Immutable after creation, which is why every node may cache it forever.
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
    Instant createdAt) {

  public static final int MAX_SEATS = 100_000;

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

  public JsonObject toJson() {
    JsonArray secs = new JsonArray();
    sections.forEach(s -> secs.add(s.toJson()));
    JsonObject limits = new JsonObject();
    if (rateLimitUser != null) {
      limits.put("perUser", rateLimitUser);
    }
    if (rateLimitIp != null) {
      limits.put("perIp", rateLimitIp);
    }
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("sections", secs)
        .put("seatCount", seatCount)
        .put("holdTtlMs", holdTtlMs)
        .put("maxSeatsPerUser", maxSeatsPerUser)
        .put("queue", queue.toJson())
        .put("rateLimits", limits)
        .put("createdAt", createdAt.toString());
  }

  /** The layout answer, built once per event and node: labels are derived, never stored. */
  public Buffer layoutJson() {
    StringBuilder sb = new StringBuilder(seatCount * 72 + 16).append("{\"seats\":[");
    int id = 1;
    for (Section s : sections) {
      for (int row = 1; row <= s.rows(); row++) {
        for (int n = 1; n <= s.seatsPerRow(); n++) {
          if (id > 1) {
            sb.append(',');
          }
          sb.append("{\"id\":").append(id)
              .append(",\"label\":\"").append(label(s.name(), row, n))
              .append("\",\"section\":\"").append(s.name())
              .append("\",\"row\":").append(row)
              .append(",\"number\":").append(n).append('}');
          id++;
        }
      }
    }
    return Buffer.buffer(sb.append("]}").toString());
  }

  /** The label of seat {@code seatId} (1..seatCount), as the layout shows it. */
  public String labelOf(int seatId) {
    int first = 1;
    for (Section s : sections) {
      int size = s.rows() * s.seatsPerRow();
      if (seatId < first + size) {
        int offset = seatId - first;
        return label(s.name(), offset / s.seatsPerRow() + 1, offset % s.seatsPerRow() + 1);
      }
      first += size;
    }
    throw new IllegalArgumentException("no seat " + seatId + " in event " + id);
  }

  /** {@code A-01-001}: section, two-digit row, three-digit seat number (wider when a section needs it). */
  public static String label(String section, int row, int number) {
    return String.format("%s-%02d-%03d", section, row, number);
  }
}
