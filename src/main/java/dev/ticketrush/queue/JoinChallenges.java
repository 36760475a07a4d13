package dev.ticketrush.queue;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LuaScript;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A price on joining: a challenge bound to one user, stored in Redis until used or expired, and the proof that
 * SHA-256(challenge + nonce) starts with {@code difficulty} zero bits. Checking costs one hash; solving costs
 * about 2^difficulty.
 */
public final class JoinChallenges {
  /** How long a challenge may be solved and used; ample for the 2^24 hashes of the top difficulty. */
  public static final long TTL_MS = 300_000;
  private static final LuaScript TAKE = LuaScript.load("queue-challenge-take");
  private static final Pattern CHALLENGE = Pattern.compile("[0-9a-f]{32}");
  private static final int MAX_NONCE = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  public record Challenge(String challenge, int difficulty, long expiresAtMs) {
  }

  private final RedisLink redis;

  public JoinChallenges(RedisLink redis) {
    this.redis = redis;
  }

  public Future<Challenge> issue(long eventId, String user, int difficulty) {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String challenge = HexFormat.of().formatHex(b);
    long expires = System.currentTimeMillis() + TTL_MS;
    return redis.send(Request.cmd(Command.SET).arg(Keyspace.queueChallenge(eventId, challenge)).arg(user)
            .arg("PX").arg(TTL_MS).arg("NX"))
        .map(r -> new Challenge(challenge, difficulty, expires));
  }

  /** Succeeds once per issued challenge, for its own user, with a valid solution; else 403 challenge_failed. */
  public Future<Void> redeem(long eventId, String user, String challenge, String nonce, int difficulty) {
    if (challenge == null || nonce == null || !CHALLENGE.matcher(challenge).matches() || nonce.length() > MAX_NONCE) {
      return Future.failedFuture(Rejection.of(Outcome.CHALLENGE_FAILED, "this waiting room needs a solved challenge: GET /api/events/"
          + eventId + "/queue/challenge, then POST {\"challenge\", \"nonce\"} with SHA-256(challenge + nonce) starting with "
          + difficulty + " zero bits"));
    }
    if (!solves(challenge, nonce, difficulty)) {
      return Future.failedFuture(Rejection.of(Outcome.CHALLENGE_FAILED,
          "SHA-256(challenge + nonce) does not start with " + difficulty + " zero bits"));
    }
    return TAKE.call(redis, List.of(Keyspace.queueChallenge(eventId, challenge)), List.of(user)).compose(r -> r.toInteger() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(Rejection.of(Outcome.CHALLENGE_FAILED,
            "the challenge is unknown, expired, already used, or not yours: get a new one")));
  }

  /** Whether SHA-256 of the UTF-8 of challenge + nonce starts with {@code difficulty} zero bits. */
  public static boolean solves(String challenge, String nonce, int difficulty) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest((challenge + nonce).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    int full = difficulty / 8;
    for (int i = 0; i < full; i++) {
      if (h[i] != 0) {
        return false;
      }
    }
    int rest = difficulty % 8;
    return rest == 0 || (h[full] & 0xff) >>> (8 - rest) == 0;
  }
}
