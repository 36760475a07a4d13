package dev.ticketrush.hold;

import java.util.List;

/** Redis keys of one event. The hash tag {eventId} keeps them in one Redis Cluster slot. */
public final class SeatKeys {
  private SeatKeys() {
  }

  public static String prefix(long eventId) {
    return "ev:{" + eventId + "}:";
  }

  public static String log(long eventId) {
    return prefix(eventId) + "log";
  }

  public static String version(long eventId) {
    return prefix(eventId) + "version";
  }

  /** The KEYS of every seat script, in the order seat-common.lua names them. */
  public static List<String> forScript(long eventId, String user) {
    String p = prefix(eventId);
    return List.of(p + "holds", p + "expiry", p + "sold", p + "version", p + "log", p + "paying",
        p + "mine:" + (user == null ? "" : user));
  }
}
