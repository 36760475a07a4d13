package dev.ticketrush.infra;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The index of live events (live-events.lua, {@link Keyspace#liveEvents}): background work that follows the sale,
 * not the catalog. Seat operations (holds, orders, watcher reads) and queue joins touch their event; the reconciler
 * and the admitter take their events from here; an event untouched for the grace period has ended, and the
 * reconciler drops its hot keys (rebuilt from PostgreSQL on demand).
 *
 * <p>A touch is sent at most once per {@link #TOUCH_EVERY_MS} per event and instance, after the answer on the same
 * pipelined connection and not waited for: a hot sale costs one extra call a second, not one per hold.
 */
public final class LiveEvents {
  private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
  private static final LuaScript SCRIPT = LuaScript.load("live-events");
  static final long TOUCH_EVERY_MS = 1_000;

  private final RedisLink redis;
  private final long graceMs;
  private final Map<Long, Long> touched = new ConcurrentHashMap<>();

  public LiveEvents(RedisLink redis, long graceMs) {
    this.redis = redis;
    this.graceMs = graceMs;
  }

  /** The event is live for the grace period from now on. */
  public void touch(long eventId) {
    long now = System.currentTimeMillis();
    Long last = touched.get(eventId);
    if (last != null && now - last < TOUCH_EVERY_MS) {
      return;
    }
    touched.put(eventId, now);
    if (touched.size() > 100_000) {
      touched.clear(); // only a throttle: forgetting it costs one extra touch per event
    }
    SCRIPT.call(redis, Keyspace.liveEvents(), List.of("touch", eventId, graceMs))
        .onFailure(err -> {
          touched.remove(eventId);
          log.warn("could not mark event {} live: {}", eventId, err.toString());
        });
  }

  /**
   * Gives every event without an entry one that has just ended (at start: events from before the index), so none
   * keeps its keys forever; one with holds or pins is found busy by the reconciler and made live again.
   */
  public Future<Void> adopt(List<Long> eventIds) {
    List<Future<?>> calls = new ArrayList<>();
    for (int from = 0; from < eventIds.size(); from += 500) {
      List<Object> args = new ArrayList<>();
      args.add("adopt");
      args.addAll(eventIds.subList(from, Math.min(eventIds.size(), from + 500)));
      calls.add(SCRIPT.call(redis, Keyspace.liveEvents(), args));
    }
    return Future.join(calls).mapEmpty();
  }

  /** The live events. */
  public Future<List<Long>> live() {
    return SCRIPT.call(redis, Keyspace.liveEvents(), List.of("live")).map(r -> {
      List<Long> ids = new ArrayList<>();
      r.get(1).forEach(id -> ids.add(id.toLong()));
      return ids;
    });
  }

  /** Up to {@code limit} events whose grace has passed: event id → the score read (for {@link #forget}). */
  public Future<Map<Long, String>> ended(int limit) {
    return SCRIPT.call(redis, Keyspace.liveEvents(), List.of("ended", limit)).map(r -> {
      Map<Long, String> out = new LinkedHashMap<>();
      Response list = r.get(1);
      for (int i = 0; i + 1 < list.size(); i += 2) {
        out.put(list.get(i).toLong(), list.get(i + 1).toString());
      }
      return out;
    });
  }

  /** Drops an ended event from the index, unless it was touched since {@code ended} read {@code score}. */
  public Future<Void> forget(long eventId, String score) {
    return SCRIPT.call(redis, Keyspace.liveEvents(), List.of("forget", eventId, score)).mapEmpty();
  }
}
