package dev.ticketrush.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tokens this event loop verified recently, so a client's next request skips the signature check and the claim
 * parsing (a hold costs about as much again without it). An entry lives at most {@link #TTL_MS} and never past
 * the token's own {@code exp}; the map is bounded (least recently used out). Confined to one event loop.
 * A new key set (JWKS refresh) {@link #clear}s it, so a retired key's tokens stop working at once.
 */
final class VerifiedTokens {
  static final long TTL_MS = 30_000;
  static final int MAX_ENTRIES = 10_000;

  private record Entry(Caller caller, long validUntilMs) {
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** The caller of a token verified before and still valid, else null. */
  Caller get(String token, long nowMs) {
    Entry e = entries.get(token);
    if (e == null) {
      return null;
    }
    if (nowMs >= e.validUntilMs()) {
      entries.remove(token);
      return null;
    }
    return e.caller();
  }

  void clear() {
    entries.clear();
  }

  void put(String token, Caller caller, long expiresAtMs, long nowMs) {
    entries.put(token, new Entry(caller, Math.min(expiresAtMs, nowMs + TTL_MS)));
  }
}
