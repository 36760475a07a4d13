package dev.ticketrush.gatewaysim;

import io.vertx.core.MultiMap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reading Stripe-style parameters: unknown names refused as Stripe does, list limits, request fingerprints. */
final class Params {
  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 100;

  private Params() {
  }

  /** Refuses any parameter not in {@code known} (and not {@code metadata[...]} when metadata is allowed). */
  static void onlyKnown(MultiMap params, Set<String> known, boolean metadataAllowed) {
    for (String name : params.names()) {
      boolean metadata = metadataAllowed && name.startsWith("metadata[") && name.endsWith("]");
      if (!known.contains(name) && !metadata) {
        throw StripeError.invalid(name, "Received unknown parameter: " + name);
      }
      if (params.getAll(name).size() > 1) {
        throw StripeError.invalid(name, "Received the parameter " + name + " more than once");
      }
    }
  }

  static String required(MultiMap params, String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      throw StripeError.missing(name);
    }
    return value;
  }

  static long positiveInteger(MultiMap params, String name) {
    String value = required(params, name);
    try {
      long n = Long.parseLong(value);
      if (n >= 1 && n <= 99_999_999) {
        return n;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw StripeError.invalid(name, "Invalid integer: " + value);
  }

  static int limit(MultiMap params) {
    String value = params.get("limit");
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw StripeError.invalid("limit", "Invalid limit: must be an integer between 1 and " + MAX_LIMIT);
  }

  /**
   * Method, path and every parameter in a canonical order: what "the same request" means for a key. Kept as
   * a SHA-256 digest, since one is stored per idempotency key.
   */
  static String fingerprint(String methodAndPath, MultiMap params) {
    Set<String> pairs = new TreeSet<>();
    for (Map.Entry<String, String> e : params.entries()) {
      pairs.add(e.getKey() + "=" + e.getValue());
    }
    String canonical = methodAndPath + "\n" + String.join("\n", pairs);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
