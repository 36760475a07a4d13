package dev.ticketrush.broadcast;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LuaScript;
import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Future;

import java.util.List;

/**
 * Watchers per event across all nodes, in Redis: every node writes its own count with an expiry
 * ({@code presence.lua}), and the total only sums entries that have not expired, so the watchers of a crashed
 * node vanish by themselves after {@link #TTL_MS}.
 */
final class PresenceBoard {
  private static final LuaScript PRESENCE = LuaScript.load("presence");
  /** Several missed refreshes (every {@link BroadcastVerticle#TICK_MS}) before a node's count is dropped. */
  static final long TTL_MS = 10_000;

  private final RedisLink redis;

  PresenceBoard(RedisLink redis) {
    this.redis = redis;
  }

  /** Stores this node's count (0 removes it) and answers the total over every live node. */
  Future<Long> report(long eventId, String node, int count) {
    return PRESENCE.call(redis, keys(eventId), List.of(node, count, TTL_MS)).map(r -> r.toLong());
  }

  Future<Long> total(long eventId) {
    return PRESENCE.call(redis, keys(eventId), List.of("", 0, TTL_MS)).map(r -> r.toLong());
  }

  private static List<String> keys(long eventId) {
    return Keyspace.presence(eventId);
  }
}
