package dev.ticketrush.queue;

import java.util.List;

/**
 * Redis keys of one event's waiting room, in the order the queue scripts take them (see queue-common.lua).
 * The {@code {eventId}} hash tag keeps them in one Redis Cluster slot. The active set is {@code ev:{E}:q:active},
 * apart from any presence set, so watchers never count against {@code maxActive}.
 */
final class QueueKeys {
  private QueueKeys() {
  }

  static List<String> of(long eventId) {
    String p = "ev:{" + eventId + "}:q:";
    return List.of(p + "line", p + "entry", p + "active", p + "state");
  }
}
