package dev.ticketrush.broadcast;

import dev.ticketrush.infra.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The watchers (WebSockets and bridge registrations) of one HTTP verticle instance, per event, and its notices
 * to {@link BroadcastVerticle} on {@link Addresses#WATCH}:
 * <ul>
 *   <li>{@code {"eventId": E, "from": V}} when a watcher arrives: tail E now, continuing after version V
 *       (absent: from the current version);</li>
 *   <li>{@code {"source": id, "counts": {"E": n, ...}}} every {@link #REPORT_MS} while it has watchers (and once
 *       more when they are gone): keeps the tails alive and feeds the presence counts.</li>
 * </ul>
 * Only touched from its verticle's event loop.
 */
final class LocalWatchers {
  static final long REPORT_MS = 1_000;
  static final String EVENT_ID = "eventId";
  static final String FROM = "from";
  static final String SOURCE = "source";
  static final String COUNTS = "counts";

  private final Vertx vertx;
  private final String source = UUID.randomUUID().toString();
  private final Map<Long, Integer> counts = new HashMap<>();
  private boolean reportedAny;

  LocalWatchers(Vertx vertx) {
    this.vertx = vertx;
    vertx.setPeriodic(REPORT_MS, id -> report());
  }

  void add(long eventId) {
    counts.merge(eventId, 1, Integer::sum);
  }

  void remove(long eventId) {
    counts.computeIfPresent(eventId, (id, n) -> n <= 1 ? null : n - 1);
  }

  /** Asks the broadcaster to tail the event; {@code from} is the version the new watcher already has, or null. */
  void watch(long eventId, Long from) {
    vertx.eventBus().send(Addresses.WATCH, new JsonObject().put(EVENT_ID, eventId).put(FROM, from));
  }

  private void report() {
    if (counts.isEmpty() && !reportedAny) {
      return;
    }
    JsonObject byEvent = new JsonObject();
    counts.forEach((id, n) -> byEvent.put(Long.toString(id), n));
    vertx.eventBus().send(Addresses.WATCH, new JsonObject().put(SOURCE, source).put(COUNTS, byEvent));
    reportedAny = !counts.isEmpty();
  }
}
