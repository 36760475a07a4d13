package dev.ticketrush.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Typed configuration, read once at boot: {@code conf/application.json} first (overrides only), then every
 * {@code TICKETRUSH_*} environment variable on top (camelCase key {@code holdTtlMs} ⇔ {@code TICKETRUSH_HOLD_TTL_MS}).
 * Verticles receive parts of this record through their constructors, so every instance sees the same settings.
 *
 * <p>Every setting is declared once, as a {@link Setting}-annotated component of the record of its concern below:
 * its key, default and meaning. {@link Settings} parses the records from those declarations and {@link ConfigTable}
 * writes the table in docs/operations.md from them. To add a setting, add one annotated component to the right
 * concern and use it through {@code config.concern().name()}.
 *
 * <p>{@link Mode} decides the defaults that depend on dev versus production mode, {@link SecurityConfig} the token
 * keys; a configuration the service must not start with is a {@link ConfigException}.
 */
public record AppConfig(
    Mode mode,
    Http http,
    Limits limits,
    Redis redis,
    Postgres postgres,
    Sale sale,
    Payments payments,
    SecurityConfig security,
    Operations operations) {

  public static final String ENV_PREFIX = "TICKETRUSH_";

  /** The concerns in the order of the documentation table, each with its heading. */
  static final List<Map.Entry<String, Class<? extends Record>>> CONCERNS = List.of(
      Map.entry("HTTP", Http.class),
      Map.entry("What one client may take of a node", Limits.class),
      Map.entry("Redis", Redis.class),
      Map.entry("PostgreSQL", Postgres.class),
      Map.entry("Security", Security.class),
      Map.entry("The sale", Sale.class),
      Map.entry("Payments", Payments.class),
      Map.entry("Operations", Operations.class));

  /** The HTTP server: where it listens and what it accepts. */
  public record Http(
      @Setting(key = "httpPort", value = "8080", meaning = "HTTP/WebSocket port")
      int port,
      @Setting(key = "bodyLimitBytes", value = "65536", meaning = "largest request body (and SockJS bridge message) accepted")
      int bodyLimitBytes,
      @Setting(key = "allowedOrigin", value = "*", meaning = "Origin accepted by the SockJS bridge (`*` = any)")
      String allowedOrigin,
      @Setting(key = "trustForwarded", value = "false", meaning = "`true` behind exactly one trusted proxy: the client IP is the **rightmost** `X-Forwarded-For` entry (the address that proxy saw; entries to its left are the client's own words)")
      boolean trustForwarded,
      @Setting(key = "requestDeadlineMs", value = "10000", meaning = "a request's headers and body must arrive within this many ms of its first byte, or it is answered 408 and the connection closed (slow senders); `0` = no deadline")
      long requestDeadlineMs) {
  }

  /** What one client (and all watchers together) may take of one node. */
  public record Limits(
      @Setting(key = "rateLimitUser", value = "20", meaning = "hold/order requests per second per user (burst 2×); `0` = off")
      int rateLimitUser,
      @Setting(key = "rateLimitIp", value = "500", meaning = "the same per client IP (burst 2×); `0` = off")
      int rateLimitIp,
      @Setting(key = "maxConnectionsPerIp", value = "256", meaning = "open connections (HTTP, WebSocket, SockJS) one address may hold on a node; more are closed at once; `0` = off (always off with `TICKETRUSH_TRUST_FORWARDED=true`: limit at the proxy)")
      int maxConnectionsPerIp,
      @Setting(key = "idleTimeoutSeconds", value = "60", meaning = "a connection silent this long is closed (WebSockets stay busy with their 30 s pings, SockJS with its 25 s heartbeats)")
      int idleTimeoutSeconds,
      @Setting(key = "maxWatchers", value = "20000", meaning = "WebSocket and bridge watchers one node serves; beyond it the upgrade answers 503 `watchers_full` with `Retry-After` and bridge registrations are refused")
      int maxWatchers) {
  }

  /** Redis: the seat state, holds, queues and change logs. */
  public record Redis(
      @Setting(key = "redisUrl", meaning = "e.g. `redis://127.0.0.1:6379`", note = "start embedded Redis")
      String url,
      @Setting(key = "redisMode", value = "standalone", meaning = "`standalone`, `cluster` or `sentinel`; for the last two `TICKETRUSH_REDIS_URL` lists seed nodes / sentinels comma-separated (embedded Redis is always standalone)")
      String mode,
      @Setting(key = "redisMasterName", value = "mymaster", meaning = "Sentinel master name")
      String masterName,
      @Setting(key = "redisCommandTimeoutMs", value = "5000", meaning = "a Redis connection with commands outstanding and no reply for this long is closed and replaced (its commands answer 503)")
      long commandTimeoutMs) {

    public Redis {
      positive("TICKETRUSH_REDIS_COMMAND_TIMEOUT_MS", commandTimeoutMs);
    }

    Redis withUrl(String url) {
      return Settings.with(this, "redisUrl", url);
    }
  }

  /** PostgreSQL: events, orders, tickets, the truth. */
  public record Postgres(
      @Setting(key = "pgUrl", meaning = "e.g. `postgresql://user:pw@127.0.0.1:5432/db`", note = "start embedded PostgreSQL (data in `data/pg`)")
      String url,
      @Setting(key = "pgPoolSize", value = "8", meaning = "PostgreSQL connections per node")
      int poolSize,
      @Setting(key = "dataDir", value = "data", meaning = "where embedded PostgreSQL keeps its data (`<dir>/pg`)")
      String dataDir,
      @Setting(key = "pgCommandTimeoutMs", value = "10000", meaning = "a statement or transaction not finished in this long fails (503) and its connection is closed and replaced")
      long commandTimeoutMs,
      @Setting(key = "pgReadPoolSize", value = "2", meaning = "PostgreSQL connections per node for catalog lookups and readiness checks (apart from purchases)")
      int readPoolSize) {

    public Postgres {
      positive("TICKETRUSH_PG_COMMAND_TIMEOUT_MS", commandTimeoutMs);
      positive("TICKETRUSH_PG_READ_POOL_SIZE", readPoolSize);
    }

    Postgres withUrl(String url) {
      return Settings.with(this, "pgUrl", url);
    }
  }

  /**
   * The token settings as set. {@link SecurityConfig#resolve} checks and completes them; the config keeps only
   * its result, {@link AppConfig#security()}.
   */
  public record Security(
      @Setting(key = "jwtSecret", meaning = "HS256 secret, at least 32 bytes, the same on every node (verifies HS256 tokens, signs dev tokens)", note = "random per start in dev mode; production needs it, a public key or a JWKS URL")
      String jwtSecret,
      @Setting(key = "jwtPublicKey", meaning = "PEM public key (`-----BEGIN PUBLIC KEY-----`, RSA → RS256, EC P-256 → ES256); literal `\\n` accepted")
      String jwtPublicKey,
      @Setting(key = "jwksUrl", meaning = "JWKS endpoint of the identity provider (RSA/EC keys by `kid`; fetched at start, every 5 min and on an unknown `kid`, at most once per 10 s)")
      String jwksUrl,
      @Setting(key = "jwtIssuer", meaning = "when set, `iss` must match")
      String jwtIssuer,
      @Setting(key = "jwtAudience", meaning = "when set, `aud` must match")
      String jwtAudience,
      @Setting(key = "entryTokenSecret", meaning = "HMAC secret (≥ 32 bytes, same on every node) of waiting-room entry tokens; required when only a public key / JWKS verifies tokens", note = "the JWT secret")
      String entryTokenSecret,
      @Setting(key = "metricsToken", meaning = "when set, `GET /metrics` needs `Authorization: Bearer <token>` (else 401)", note = "`/metrics` open")
      String metricsToken,
      @Setting(key = "ticketSigningKey", meaning = "PEM: the EC P-256 `PRIVATE KEY` (PKCS#8) that signs ticket codes (ES256) followed by its `PUBLIC KEY`, then any retired `PUBLIC KEY`s whose tickets must still verify; the same on every node; literal `\\n` accepted", note = "made once and kept in `<dataDir>/ticket-signing-key.pem` in dev mode; a production node refuses to start without it")
      String ticketSigningKey) {

    SecurityConfig resolve(Mode mode, boolean devTokens) {
      return SecurityConfig.resolve(mode, devTokens, jwtSecret, jwtPublicKey, jwksUrl, jwtIssuer, jwtAudience,
          entryTokenSecret, metricsToken, ticketSigningKey);
    }

    /** Holds secrets as set: prints none of them. */
    @Override
    public String toString() {
      return "Security[hs256=" + (jwtSecret != null) + ", publicKey=" + (jwtPublicKey != null) + ", jwks=" + jwksUrl
          + ", ticketSigningKey=" + (ticketSigningKey != null) + "]";
    }
  }

  /** The sale itself: holds, and the background jobs that keep seats right. */
  public record Sale(
      @Setting(key = "holdTtlMs", value = "60000", meaning = "default hold lifetime (ms)")
      long holdTtlMs,
      @Setting(key = "sweepIntervalMs", value = "200", meaning = "how often each node releases expired holds (ms)")
      long sweepIntervalMs,
      @Setting(key = "reconcileIntervalMs", value = "3000", meaning = "how often each node compares Redis's sold seats with PostgreSQL's tickets and restores missing ones (ms)")
      long reconcileIntervalMs,
      @Setting(key = "changeLogMaxLen", value = "50000", meaning = "change-log entries kept per event for `?since=` resync")
      int changeLogMaxLen,
      @Setting(key = "liveGraceMs", value = "3600000", meaning = "an event stays live (reconciled, admitted) this long after its last hold, order, watcher read or queue join; then its hot Redis keys are dropped and rebuilt from PostgreSQL on demand (ms)")
      long liveGraceMs) {
  }

  /** Taking the money: the gateway and the bounds of one payment. */
  public record Payments(
      @Setting(key = "paymentGateway", dev = "fake", meaning = "`fake` (built in) or `stripe`", note = "production refuses to start without it")
      String gateway,
      @Setting(key = "stripeApiBase", value = "https://api.stripe.com", meaning = "base URL of the Stripe API (a simulator's in tests and rehearsals)")
      String stripeApiBase,
      @Setting(key = "stripeSecretKey", meaning = "Stripe secret key (`sk_live_...` or `sk_test_...`); required with `TICKETRUSH_PAYMENT_GATEWAY=stripe`")
      String stripeSecretKey,
      @Setting(key = "paymentLatencyMs", value = "20", meaning = "latency of the built-in fake payment gateway (ms)")
      long fakeLatencyMs,
      @Setting(key = "paymentTimeoutMs", value = "10000", meaning = "how long one gateway (or database) call may take before its outcome counts as unknown (ms)")
      long timeoutMs,
      @Setting(key = "paymentWindowMs", value = "30000", meaning = "how long holds stay pinned while a payment runs (ms)")
      long windowMs,
      @Setting(key = "completerIntervalMs", value = "1000", meaning = "how often each node's completer looks for unfinished purchases (ms)")
      long completerIntervalMs,
      @Setting(key = "paymentUnknownMaxAttempts", value = "20", meaning = "completer takeovers of a purchase whose payment outcome stays unknown before it is decided without an order (any charge is refunded)")
      int unknownMaxAttempts,
      @Setting(key = "paymentUnknownMaxMs", value = "600000", meaning = "age (ms) after which a purchase whose payment outcome stays unknown is decided without an order (any charge is refunded)")
      long unknownMaxMs,
      @Setting(key = "chargeReconcileIntervalMs", value = "60000", meaning = "how often one node walks the gateway's charges and refunds those no confirmed purchase owns (ms)")
      long chargeReconcileIntervalMs,
      @Setting(key = "chargeReconcilePages", value = "10", meaning = "pages of 100 charges one charge-reconciliation pass reads at most (it resumes where it stopped)")
      int chargeReconcilePages) {

    public Payments {
      gateway = Mode.paymentGateway(gateway);
      if (gateway.equals("stripe") && stripeSecretKey == null) {
        throw new ConfigException("TICKETRUSH_PAYMENT_GATEWAY=stripe needs TICKETRUSH_STRIPE_SECRET_KEY (sk_live_... or sk_test_...)");
      }
      PaymentBounds.check(windowMs, timeoutMs, completerIntervalMs,
          new PaymentBounds(unknownMaxAttempts, unknownMaxMs, chargeReconcileIntervalMs, chargeReconcilePages));
    }

    /** The bounds of the unknown phase and of the charge reconciliation. */
    public PaymentBounds bounds() {
      return new PaymentBounds(unknownMaxAttempts, unknownMaxMs, chargeReconcileIntervalMs, chargeReconcilePages);
    }
  }

  /** How this node is run: logs and the dev conveniences. */
  public record Operations(
      @Setting(key = "devTokens", dev = "true", production = "false", meaning = "enables `POST /api/dev/tokens` (404 when off)")
      boolean devTokens,
      @Setting(key = "demoEvent", dev = "true", production = "false", meaning = "seed the 10,000-place demo event at start")
      boolean demoEvent,
      @Setting(key = "logFormat", value = "text", meaning = "`text` (readable lines) or `json` (JSON lines, logback's JsonEncoder)", note = "`json` in the Docker image")
      String logFormat,
      @Setting(key = "allowDevMode", value = "true", meaning = "`false` refuses to start in dev mode (set so in the Docker image)", note = "`false` in the Docker image")
      boolean allowDevMode) {
  }

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
    // The two URLs decide the mode, and the mode the defaults of the rest.
    Redis redis = Settings.read(Redis.class, json, null);
    Postgres postgres = Settings.read(Postgres.class, json, null);
    Mode mode = Mode.of(redis.url(), postgres.url());
    Operations operations = Settings.read(Operations.class, json, mode);
    if (mode == Mode.DEV && !operations.allowDevMode()) {
      // The container image sets TICKETRUSH_ALLOW_DEV_MODE=false: an image started without settings would
      // otherwise serve dev mode on every interface, where anyone who reaches it mints admin tokens.
      throw new ConfigException("dev mode is not allowed here (TICKETRUSH_ALLOW_DEV_MODE=false): set "
          + "TICKETRUSH_REDIS_URL and TICKETRUSH_PG_URL for production, or TICKETRUSH_ALLOW_DEV_MODE=true to try "
          + "the service with embedded Redis and PostgreSQL and dev tokens that mint any token, admin included");
    }
    SecurityConfig security = Settings.read(Security.class, json, mode).resolve(mode, operations.devTokens());
    return new AppConfig(mode, Settings.read(Http.class, json, mode), Settings.read(Limits.class, json, mode), redis,
        postgres, Settings.read(Sale.class, json, mode), Settings.read(Payments.class, json, mode), security,
        operations);
  }

  /** The same settings with the URLs of the services actually used (the embedded ones in dev mode). */
  public AppConfig withServices(String redisUrl, String pgUrl) {
    return new AppConfig(mode, http, limits, redis.withUrl(redisUrl), postgres.withUrl(pgUrl), sale, payments,
        security, operations);
  }

  /**
   * The one start line about the mode: in dev mode what is on by default; in production a warning when dev tokens
   * were turned on (anyone can then mint a token for any user and role); else null.
   */
  public String modeNotice() {
    if (mode == Mode.DEV) {
      return "dev mode (Redis and PostgreSQL embedded): dev tokens " + onOff(operations.devTokens()) + ", demo event "
          + onOff(operations.demoEvent()) + ", payment gateway " + payments.gateway() + ", JWT secret "
          + (security.randomSecret() ? "random for this process" : "from TICKETRUSH_JWT_SECRET")
          + "; set TICKETRUSH_REDIS_URL and TICKETRUSH_PG_URL for production";
    }
    if (operations.devTokens()) {
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
    return "AppConfig[mode=" + mode + ", httpPort=" + http.port() + ", redis=" + Secrets.mask(redis.url()) + ", pg="
        + Secrets.mask(postgres.url()) + ", " + security + ", devTokens=" + operations.devTokens() + ", demoEvent="
        + operations.demoEvent() + ", paymentGateway=" + payments.gateway() + "]";
  }

  private static void positive(String variable, long value) {
    if (value <= 0) {
      throw new ConfigException(variable + " must be positive, got " + value);
    }
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
}
