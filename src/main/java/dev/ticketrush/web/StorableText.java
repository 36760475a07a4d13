package dev.ticketrush.web;

import dev.ticketrush.outcome.Rejection;

/**
 * Free text the service stores (names, payment tokens): Unicode text PostgreSQL can keep exactly. PostgreSQL's text refuses NUL,
 * and an unpaired surrogate has no UTF-8 form at all; other control characters are refused too, as no name needs
 * them and they make logs and labels lie. The contract says the same (the {@code Text} schema); this is the rule in
 * code, and the only check for fields whose schema stays on the quick validation path (a pattern would leave it).
 */
public final class StorableText {
  private StorableText() {
  }

  /** The value, or a 400 {@code invalid_request} naming the field and the first character that is not text. */
  public static String check(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw Rejection.invalid(field + ": an unpaired surrogate (U+" + hex(c) + ") at index " + i + " is not text");
      } else if (Character.isISOControl(c)) {
        throw Rejection.invalid(field + ": control character U+" + hex(c) + " at index " + i + " is not allowed");
      }
    }
    return value;
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }
}
