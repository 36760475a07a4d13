package dev.ticketrush.seat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Presale access codes in PostgreSQL. A code is 128 random bits written as 26 base32 characters (RFC 4648
 * alphabet, no padding; case and dashes are ignored when presented, so a fan can type it). Only its SHA-256 is
 * stored: the admin sees the codes once, in the mint answer.
 */
public final class AccessCodes implements AccessCodeStore {
  /** Codes one mint call makes at most (one INSERT, one script call). */
  public static final int MAX_PER_CALL = 10_000;
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final Pattern CODE = Pattern.compile("[A-Z2-7]{26}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private final Pool pool;

  public AccessCodes(Pool pool) {
    this.pool = pool;
  }

  /** Makes {@code count} new codes of the allocation, stores their hashes, and answers the codes themselves. */
  public Future<List<String>> mint(long eventId, String allocation, int count) {
    List<String> codes = new ArrayList<>(count);
    Buffer[] hashes = new Buffer[count];
    for (int i = 0; i < count; i++) {
      String code = newCode();
      codes.add(code);
      hashes[i] = Buffer.buffer(sha256(code));
    }
    return pool.preparedQuery("INSERT INTO access_codes (event_id, code_hash, allocation) "
            + "SELECT $1, h, $3 FROM unnest($2::bytea[]) AS h")
        .execute(Tuple.of(eventId, hashes, allocation))
        .map(rows -> codes);
  }

  @Override
  public Future<List<Stored>> codes(long eventId) {
    return pool.preparedQuery("SELECT code_hash, allocation, bound_to FROM access_codes WHERE event_id = $1")
        .execute(Tuple.of(eventId)).map(rows -> {
          List<Stored> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new Stored(HEX.formatHex(r.getBuffer("code_hash").getBytes()), r.getString("allocation"),
                r.getString("bound_to")));
          }
          return out;
        });
  }

  @Override
  public Future<Void> bound(long eventId, String hash, String user) {
    return pool.preparedQuery("UPDATE access_codes SET bound_to = $3, bound_at = now() "
            + "WHERE event_id = $1 AND code_hash = $2 AND bound_to IS NULL")
        .execute(Tuple.of(eventId, Buffer.buffer(HEX.parseHex(hash)), user)).mapEmpty();
  }

  static String newCode() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    StringBuilder sb = new StringBuilder(26);
    int buffer = 0;
    int left = 0;
    for (byte b : bits) {
      buffer = (buffer << 8) | (b & 0xff);
      left += 8;
      while (left >= 5) {
        sb.append(BASE32[(buffer >> (left - 5)) & 31]);
        left -= 5;
      }
    }
    sb.append(BASE32[(buffer << (5 - left)) & 31]);
    return sb.toString();
  }

  /**
   * The SHA-256 hex of a presented code (header {@code X-Access-Code}), or null when it cannot be a code: upper
   * case, dashes and spaces dropped, then exactly 26 base32 characters.
   */
  public static String hashOf(String presented) {
    if (presented == null || presented.length() > 64) {
      return null;
    }
    String code = presented.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
    return CODE.matcher(code).matches() ? HEX.formatHex(sha256(code)) : null;
  }

  private static byte[] sha256(String code) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
