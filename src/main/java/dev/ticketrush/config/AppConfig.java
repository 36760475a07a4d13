package dev.ticketrush.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Typed configuration, read once at boot: {@code conf/application.json} first, then every
 * {@code TICKETRUSH_*} environment variable on top (camelCase key {@code holdTtlMs} ⇔ {@code TICKETRUSH_HOLD_TTL_MS}).
 * Verticles receive this record through their constructors, so every instance sees the same settings.
 * {@link Mode} decides the defaults that depend on dev versus production mode, {@link SecurityConfig} the token
 * keys; a configuration the service must not start with is a {@link ConfigException}.
 */
public record AppConfig(
    int httpPort,
    String redisUrl,
    String pgUrl,
    Mode mode,
    SecurityConfig security,
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
    PaymentBounds paymentBounds,
    int maxConnectionsPerIp,
    int idleTimeoutSeconds,
    long requestDeadlineMs,
    int maxWatchers,

    String redisMode,
    String redisMasterName,

    long redisCommandTimeoutMs,
    long pgCommandTimeoutMs,
    int pgReadPoolSize) {

  public static final String ENV_PREFIX = "TICKETRUSH_";

  /** Loads {@code confDir/application.json} (if present), overlays the environment and validates. */
  public static AppConfig load(Path confDir, Map<String, String> env) {
    return fromJson(read(confDir, env));
  }

  /** The merged, not yet validated settings (Main reads the log format from them before any logger exists). */
  public static JsonObject read(Path confDir, Map<String, String> env) {
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
    return json;
  }

  /** Builds a config from already merged JSON; values may be strings (environment) or JSON types. */
  public static AppConfig fromJson(JsonObject json) {
    String redisUrl = blankToNull(str(json, "redisUrl", null));
    String pgUrl = blankToNull(str(json, "pgUrl", null));
    Mode mode = Mode.of(redisUrl, pgUrl);
    if (mode == Mode.DEV && !bool(json, "allowDevMode", true)) {
      // The container image sets TICKETRUSH_ALLOW_DEV_MODE=false: an image started without settings would
      // otherwise serve dev mode on every interface, where anyone who reaches it mints admin tokens.
      throw new ConfigException("dev mode is not allowed here (TICKETRUSH_ALLOW_DEV_MODE=false): set "
          + "TICKETRUSH_REDIS_URL and TICKETRUSH_PG_URL for production, or TICKETRUSH_ALLOW_DEV_MODE=true to try "
          + "the service with embedded Redis and PostgreSQL and dev tokens that mint any token, admin included");
    }
    boolean devTokens = bool(json, "devTokens", mode.conveniencesByDefault());
    SecurityConfig security = SecurityConfig.resolve(mode, devTokens,
        blankToNull(str(json, "jwtSecret", null)),
        blankToNull(str(json, "jwtPublicKey", null)),
        blankToNull(str(json, "jwksUrl", null)),
        blankToNull(str(json, "jwtIssuer", null)),
        blankToNull(str(json, "jwtAudience", null)),
        blankToNull(str(json, "entryTokenSecret", null)),
        blankToNull(str(json, "metricsToken", null)));
    String gateway = mode.paymentGateway(blankToNull(str(json, "paymentGateway", null)));
    String stripeSecretKey = blankToNull(str(json, "stripeSecretKey", null));
    if (gateway.equals("stripe") && stripeSecretKey == null) {
      throw new ConfigException("TICKETRUSH_PAYMENT_GATEWAY=stripe needs TICKETRUSH_STRIPE_SECRET_KEY (sk_live_... or sk_test_...)");
    }
    PaymentBounds paymentBounds = new PaymentBounds(
        (int) num(json, "paymentUnknownMaxAttempts", 20),
        num(json, "paymentUnknownMaxMs", 600_000),
        num(json, "chargeReconcileIntervalMs", 60_000),
        (int) num(json, "chargeReconcilePages", 10));
    PaymentBounds.check(num(json, "paymentWindowMs", 30_000), num(json, "paymentTimeoutMs", 10_000),
        num(json, "completerIntervalMs", 1_000), paymentBounds);
    return new AppConfig(
        (int) num(json, "httpPort", 8080),
        redisUrl,
        pgUrl,
        mode,
        security,
        devTokens,
        bool(json, "demoEvent", mode.conveniencesByDefault()),
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
        gateway,
        str(json, "stripeApiBase", "https://api.stripe.com"),
        stripeSecretKey,
        num(json, "paymentTimeoutMs", 10_000),
        num(json, "completerIntervalMs", 1_000),
        paymentBounds,
        (int) num(json, "maxConnectionsPerIp", 256),
        (int) num(json, "idleTimeoutSeconds", 60),
        num(json, "requestDeadlineMs", 10_000),
        (int) num(json, "maxWatchers", 20_000),
        str(json, "redisMode", "standalone"),
        str(json, "redisMasterName", "mymaster"),
        positive(json, "redisCommandTimeoutMs", 5_000),
        positive(json, "pgCommandTimeoutMs", 10_000),
        (int) positive(json, "pgReadPoolSize", 2));
  }

  public AppConfig withServices(String redis, String pg) {
    return new AppConfig(httpPort, redis, pg, mode, security, devTokens, demoEvent, holdTtlMs, paymentWindowMs,
        paymentLatencyMs, rateLimitUser, rateLimitIp, bodyLimitBytes, dataDir, allowedOrigin, logFormat,
        changeLogMaxLen, sweepIntervalMs, reconcileIntervalMs, pgPoolSize, trustForwarded, paymentGateway, stripeApiBase,
        stripeSecretKey, paymentTimeoutMs, completerIntervalMs, paymentBounds, maxConnectionsPerIp, idleTimeoutSeconds,
        requestDeadlineMs, maxWatchers, redisMode, redisMasterName, redisCommandTimeoutMs, pgCommandTimeoutMs, pgReadPoolSize);
  }

  /** The HS256 secret (dev tokens, HS256 verification), or null when only public keys verify tokens. */
  public String jwtSecret() {
    return security.jwtSecret();
  }

  /**
   * The one start line about the mode: in dev mode what is on by default; in production a warning when dev tokens
   * were turned on (anyone can then mint a token for any user and role); else null.
   */
  public String modeNotice() {
    if (mode == Mode.DEV) {
      return "dev mode (Redis and PostgreSQL embedded): dev tokens " + onOff(devTokens) + ", demo event "
          + onOff(demoEvent) + ", payment gateway " + paymentGateway + ", JWT secret "
          + (security.randomSecret() ? "random for this process" : "from TICKETRUSH_JWT_SECRET")
          + "; set TICKETRUSH_REDIS_URL and TICKETRUSH_PG_URL for production";
    }
    if (devTokens) {
      return "production mode with TICKETRUSH_DEV_TOKENS=true: POST /api/dev/tokens mints a token for any user "
          + "and role, admin included; use this only for rehearsals and tests";
    }
    return null;
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  /** Records print every component; this one holds secrets, so it prints none of them. */
  @Override
  public String toString() {
    return "AppConfig[mode=" + mode + ", httpPort=" + httpPort + ", redis=" + Secrets.mask(redisUrl) + ", pg="
        + Secrets.mask(pgUrl) + ", " + security + ", devTokens=" + devTokens + ", demoEvent=" + demoEvent
        + ", paymentGateway=" + paymentGateway + "]";
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
      throw new ConfigException("config " + key + " must be a number, got '" + v + "'");
    }
  }

  private static long positive(JsonObject json, String key, long def) {
    long v = num(json, key, def);
    if (v <= 0) {
      throw new ConfigException("config " + key + " must be positive, got " + v);
    }
    return v;
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
    throw new ConfigException("config " + key + " must be true or false, got '" + v + "'");
  }
}
