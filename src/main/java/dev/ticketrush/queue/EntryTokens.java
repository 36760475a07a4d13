package dev.ticketrush.queue;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Signed waiting-room entry tokens: {@code eventId.user.expiresAtMs.signature} (HMAC-SHA256, base64url parts).
 * Bound to one user and one event; verified without any Redis round trip.
 */
public final class EntryTokens {
  private final SecretKeySpec key;

  public EntryTokens(String secret) {
    this.key = new SecretKeySpec(("entry:" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public String issue(long eventId, String user, long expiresAtMs) {
    String payload = eventId + "." + b64(user.getBytes(StandardCharsets.UTF_8)) + "." + expiresAtMs;
    return payload + "." + b64(sign(payload));
  }

  /** Succeeds when the token belongs to this user and event and has not expired; else 403 admission_required. */
  public void verify(String token, long eventId, String user, long nowMs) {
    if (token == null || token.isBlank()) {
      throw Rejection.of(Outcome.ADMISSION_REQUIRED, "this event has a waiting room: join it and send X-Entry-Token");
    }
    String[] parts = token.split("\\.");
    if (parts.length != 4) {
      throw Rejection.of(Outcome.ADMISSION_REQUIRED, "the entry token is malformed");
    }
    String payload = parts[0] + "." + parts[1] + "." + parts[2];
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw Rejection.of(Outcome.ADMISSION_REQUIRED, "the entry token is malformed");
    }
    if (!MessageDigest.isEqual(given, sign(payload))) {
      throw Rejection.of(Outcome.ADMISSION_REQUIRED, "the entry token signature is invalid");
    }
    if (!parts[0].equals(String.valueOf(eventId)) || !parts[1].equals(b64(user.getBytes(StandardCharsets.UTF_8)))) {
      throw Rejection.of(Outcome.ADMISSION_REQUIRED, "the entry token belongs to another user or event");
    }
    long expires;
    try {
      expires = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      throw Rejection.of(Outcome.ADMISSION_REQUIRED, "the entry token is malformed");
    }
    if (expires <= nowMs) {
      throw Rejection.of(Outcome.ADMISSION_REQUIRED, "the entry token has expired: join the queue again");
    }
  }

  private byte[] sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
