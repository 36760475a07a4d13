package dev.ticketrush.gatewaysim;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stripe's idempotency layer: a POST with an {@code Idempotency-Key} that already produced a result gets that
 * stored result again, as it was then (a snapshot: an intent answered {@code processing} replays as
 * {@code processing}), and nothing happens twice; a 500 is stored and replayed like any result. The same key
 * with other parameters is a client bug and gets 400 {@code idempotency_error}; the same key while its first
 * request is still running gets 409 {@code idempotency_key_in_use}. Requests refused before they ran (400
 * validation errors) are not stored, so a retry after fixing the cause can still succeed. Bounded by the
 * ledger: at most one key per stored object.
 */
final class IdempotencyKeys {
  static final int MAX_KEY_LENGTH = 255;

  private record Stored(String fingerprint, Reply reply) {
  }

  private final Map<String, Stored> byKey = new HashMap<>();
  private final Set<String> running = new HashSet<>();

  /** The stored reply for the key, marked as replayed; null when the key is new. */
  Reply replay(String key, String fingerprint) {
    if (running.contains(key)) {
      throw new StripeError(409, "idempotency_error", "idempotency_key_in_use", null,
          "There is currently another in-progress request using this Stripe-Idempotency-Key (" + key + "). Please "
              + "try again later.");
    }
    Stored stored = byKey.get(key);
    if (stored == null) {
      return null;
    }
    if (!stored.fingerprint.equals(fingerprint)) {
      throw new StripeError(400, "idempotency_error", null, null,
          "Keys for idempotent requests can only be used with the same parameters they were first used with. "
              + "Try using a key other than '" + key + "' if you meant to execute a different request.");
    }
    return new Reply(stored.reply.status(), stored.reply.body().copy(), true);
  }

  /** The key's first request started and has no result yet: a concurrent one with the key gets 409. */
  void begin(String key) {
    running.add(key);
  }

  /** The key's first request was refused before it ran: nothing is stored, the key is free again. */
  void abandon(String key) {
    if (key != null) {
      running.remove(key);
    }
  }

  void store(String key, String fingerprint, Reply reply) {
    running.remove(key);
    byKey.put(key, new Stored(fingerprint, new Reply(reply.status(), reply.body().copy(), false)));
  }
}
