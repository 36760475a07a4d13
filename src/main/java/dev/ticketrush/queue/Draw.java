package dev.ticketrush.queue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The verifiable pre-queue draw. A 32-byte secret per event is committed to (its SHA-256, published when the
 * waiting room opens) and revealed after the draw; an entrant's draw value is HMAC-SHA256(secret, userId),
 * keyed with the secret's bytes over the user id's UTF-8, in lower-case hex. The pre-queue is ordered by it.
 */
public final class Draw {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private Draw() {
  }

  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HEX.formatHex(b);
  }

  public static String commitment(String secretHex) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(HEX.parseHex(secretHex)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String value(String secretHex, String userId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(HEX.parseHex(secretHex), "HmacSHA256"));
      return HEX.formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The pre-queue place (a sorted-set score in [0,1)): the value's first 52 bits, exact in a double, so the
   * line's order is the order of the hex values (two entrants equal in 52 bits, about n²/2⁵³ likely, are
   * ordered by user id instead).
   */
  public static double place(String valueHex) {
    return Long.parseLong(valueHex.substring(0, 13), 16) / (double) (1L << 52);
  }
}
