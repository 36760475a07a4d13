package dev.ticketrush.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Typed configuration, read once at boot: {@code conf/application.json} first, then every
 * {@code TICKETRUSH_*} environment variable on top (camelCase key {@code holdTtlMs} ⇔ {@code TICKETRUSH_HOLD_TTL_MS}).
 * Verticles receive this record through their constructors, so every instance sees the same settings.
 */
public record AppConfig(
    int httpPort,
    String redisUrl,
    String pgUrl,
    String jwtSecret,
    boolean devTokens,
    boolean demoEvent,
    long holdTtlMs,
    long paymentWindowMs,
    long paymentLatencyMs,
    int rateLimitUser,
    int rateLimitIp,
    int bodyLimitBytes,
    String dataDir,
    String allowedOrigin,
    String logFormat,
    int changeLogMaxLen,
    long sweepIntervalMs,
    long reconcileIntervalMs,
    int pgPoolSize,
    boolean trustForwarded,
    String paymentGateway,
    String stripeApiBase,
    String stripeSecretKey,
    long paymentTimeoutMs,
    long completerIntervalMs,
    String redisMode,
    String redisMasterName) {

  public static final String ENV_PREFIX = "TICKETRUSH_";

  /** Loads {@code confDir/application.json} (if present) and overlays the environment. */
  public static AppConfig load(Path confDir, Map<String, String> env) {
    JsonObject json = new JsonObject();
    Path file = confDir.resolve("application.json");
    if (Files.isRegularFile(file)) {
      try {
        json = new JsonObject(Files.readString(file));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file, e);
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(ENV_PREFIX)) {
        json.put(camelCase(e.getKey().substring(ENV_PREFIX.length())), e.getValue());
      }
    }
    return fromJson(json);
  }

  /** Builds a config from already merged JSON; values may be strings (environment) or JSON types. */
  public static AppConfig fromJson(JsonObject json) {
    String redisUrl = blankToNull(str(json, "redisUrl", null));
    String pgUrl = blankToNull(str(json, "pgUrl", null));
    boolean embedded = redisUrl == null || pgUrl == null;
    String secret = blankToNull(str(json, "jwtSecret", null));
    if (secret == null) {
      if (!embedded) {
        // Several nodes must share the secret, or a token works only on the node that minted it.
        org.slf4j.LoggerFactory.getLogger(AppConfig.class)
            .warn("TICKETRUSH_JWT_SECRET is not set: using a random secret for this process only");
      }
      // Dev mode: a random secret per start means tokens minted by an earlier run stop working, on purpose.
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      secret = Base64.getEncoder().encodeToString(bytes);
    }
    return new AppConfig(
        (int) num(json, "httpPort", 8080),
        redisUrl,
        pgUrl,
        secret,
        bool(json, "devTokens", embedded),
        bool(json, "demoEvent", embedded),
        num(json, "holdTtlMs", 60_000),
        num(json, "paymentWindowMs", 30_000),
        num(json, "paymentLatencyMs", 20),
        (int) num(json, "rateLimitUser", 20),
        (int) num(json, "rateLimitIp", 500),
        (int) num(json, "bodyLimitBytes", 65_536),
        str(json, "dataDir", "data"),
        str(json, "allowedOrigin", "*"),
        str(json, "logFormat", "text"),
        (int) num(json, "changeLogMaxLen", 50_000),
        num(json, "sweepIntervalMs", 200),
        num(json, "reconcileIntervalMs", 3_000),
        (int) num(json, "pgPoolSize", 8),
        bool(json, "trustForwarded", false),
        str(json, "paymentGateway", "fake"),
        str(json, "stripeApiBase", "https://api.stripe.com"),
        blankToNull(str(json, "stripeSecretKey", null)),
        num(json, "paymentTimeoutMs", 10_000),
        num(json, "completerIntervalMs", 1_000),
        str(json, "redisMode", "standalone"),
        str(json, "redisMasterName", "mymaster"));
  }

  public AppConfig withServices(String redis, String pg) {
    return new AppConfig(httpPort, redis, pg, jwtSecret, devTokens, demoEvent, holdTtlMs, paymentWindowMs,
        paymentLatencyMs, rateLimitUser, rateLimitIp, bodyLimitBytes, dataDir, allowedOrigin, logFormat,
        changeLogMaxLen, sweepIntervalMs, reconcileIntervalMs, pgPoolSize, trustForwarded, paymentGateway, stripeApiBase,
        stripeSecretKey, paymentTimeoutMs, completerIntervalMs, redisMode, redisMasterName);
  }

  static String camelCase(String upperSnake) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : upperSnake.toLowerCase().toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String str(JsonObject json, String key, String def) {
    Object v = json.getValue(key);
    return v == null ? def : v.toString();
  }

  private static long num(JsonObject json, String key, long def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("config " + key + " must be a number, got '" + v + "'");
    }
  }

  private static boolean bool(JsonObject json, String key, boolean def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase();
    if (s.equals("true") || s.equals("1") || s.equals("yes")) {
      return true;
    }
    if (s.equals("false") || s.equals("0") || s.equals("no")) {
      return false;
    }
    throw new IllegalArgumentException("config " + key + " must be true or false, got '" + v + "'");
  }
}
