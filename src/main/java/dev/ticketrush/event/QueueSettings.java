package dev.ticketrush.event;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Waiting-room rules of one event. {@code saleStartsAt}: whoever joined before it is ordered by the verifiable draw at that
 * moment (fair to everyone who came early); later arrivals are served first come, first served.
 */
public record QueueSettings(boolean enabled, int admitPerSecond, int maxActive, Instant saleStartsAt, int entryTtlSeconds,
                            int proofOfWork) {
  public static final QueueSettings DISABLED = new QueueSettings(false, 100, 2000, null, 600, 0);

  /** Without a proof-of-work difficulty (0 = joining costs nothing). */
  public QueueSettings(boolean enabled, int admitPerSecond, int maxActive, Instant saleStartsAt, int entryTtlSeconds) {
    this(enabled, admitPerSecond, maxActive, saleStartsAt, entryTtlSeconds, 0);
  }

  public static QueueSettings fromJson(JsonObject json) {
    if (json == null) {
      return DISABLED;
    }
    String sale = json.getString("saleStartsAt");
    return new QueueSettings(
        json.getBoolean("enabled", false),
        json.getInteger("admitPerSecond", DISABLED.admitPerSecond),
        json.getInteger("maxActive", DISABLED.maxActive),
        sale == null ? null : Instant.parse(sale),
        json.getInteger("entryTtlSeconds", DISABLED.entryTtlSeconds),
        json.getInteger("proofOfWork", 0));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("enabled", enabled)
        .put("admitPerSecond", admitPerSecond)
        .put("maxActive", maxActive)
        .put("entryTtlSeconds", entryTtlSeconds);
    if (proofOfWork > 0) {
      json.put("proofOfWork", proofOfWork);
    }
    if (saleStartsAt != null) {
      json.put("saleStartsAt", saleStartsAt.toString());
    }
    return json;
  }
}
