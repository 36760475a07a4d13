package dev.ticketrush.gatewaysim;

import java.util.HashMap;
import java.util.Map;

/**
 * Stripe's idempotency layer: a POST with an {@code Idempotency-Key} that already produced a result gets that
 * stored result again (nothing happens twice); the same key with other parameters is a client bug and gets
 * 400 {@code idempotency_error}. Only results that created an object (a charge, a decline, a refund) are
 * stored: refusals and simulated failures are not, so a retry after fixing the cause can still succeed.
 * Bounded by the ledger: at most one key per stored object.
 */
final class IdempotencyKeys {
  static final int MAX_KEY_LENGTH = 255;

  private record Stored(String fingerprint, Reply reply) {
  }

  private final Map<String, Stored> byKey = new HashMap<>();

  /** The stored reply for the key, marked as replayed; null when the key is new. */
  Reply replay(String key, String fingerprint) {
    Stored stored = byKey.get(key);
    if (stored == null) {
      return null;
    }
    if (!stored.fingerprint.equals(fingerprint)) {
      throw new StripeError(400, "idempotency_error", null, null,
          "Keys for idempotent requests can only be used with the same parameters they were first used with. "
              + "Try using a key other than '" + key + "' if you meant to execute a different request.");
    }
    return new Reply(stored.reply.status(), stored.reply.body(), true);
  }

  void store(String key, String fingerprint, Reply reply) {
    byKey.put(key, new Stored(fingerprint, reply));
  }
}
