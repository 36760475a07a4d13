package dev.ticketrush.config;

import java.util.regex.Pattern;

/** Masks credentials in service URLs before they reach a log line (logs are shipped, kept and read widely). */
public final class Secrets {
  // scheme://user:password@host or scheme://:password@host. Greedy up to the last '@' of one URL (a password may
  // hold an unescaped '/' or '@'): masking too much of a host is harmless, leaking part of a password is not.
  private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^\\s,]*@");
  // ?password=... or &password=... (JDBC and libpq style), also the key variants some drivers accept.
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)([?&;](?:password|pass|pwd|secret|token|sslpassword)=)[^&;\\s]*");

  private Secrets() {
  }

  /** The URL (or comma-separated URLs) with every user-info part and password parameter replaced by {@code ***}. */
  public static String mask(String url) {
    if (url == null) {
      return null;
    }
    String masked = USER_INFO.matcher(url).replaceAll("***@");
    return PASSWORD_PARAM.matcher(masked).replaceAll("$1***");
  }
}
