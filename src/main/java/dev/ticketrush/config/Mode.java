package dev.ticketrush.config;

/**
 * Dev mode or production mode. The settings whose defaults follow from it declare them per mode in
 * {@link AppConfig} ({@link Setting#dev()}, {@link Setting#production()}). Dev mode is the zero-setup default: both
 * Redis and PostgreSQL embedded (neither {@code TICKETRUSH_REDIS_URL} nor {@code TICKETRUSH_PG_URL} set). Any
 * deployment that points at real services is production, where every convenience that weakens security
 * (dev tokens, the demo event, the fake payment gateway, a random per-process secret) must be asked for.
 */
public enum Mode {
  DEV,
  PRODUCTION;

  /** Half-embedded is refused: it is almost always a forgotten variable, and its data would live in two places. */
  public static Mode of(String redisUrl, String pgUrl) {
    if (redisUrl == null && pgUrl == null) {
      return DEV;
    }
    if (redisUrl != null && pgUrl != null) {
      return PRODUCTION;
    }
    throw new ConfigException("only " + (redisUrl != null ? "TICKETRUSH_REDIS_URL" : "TICKETRUSH_PG_URL")
        + " is set: set both TICKETRUSH_REDIS_URL and TICKETRUSH_PG_URL (production) or neither (dev mode, "
        + "both embedded); running half-embedded is refused");
  }

  /**
   * The payment gateway to use, checked. Its declaration ({@link AppConfig.Payments}) defaults it to {@code fake} in
   * dev mode only: in production it must be named explicitly, so a deployment never takes orders through the fake
   * gateway by accident.
   */
  public static String paymentGateway(String configured) {
    String gateway = configured == null ? null : configured.trim().toLowerCase();
    if (gateway == null) {
      throw new ConfigException("production mode needs TICKETRUSH_PAYMENT_GATEWAY: set it to stripe "
          + "(or to fake, explicitly, for a rehearsal that takes no money)");
    }
    if (!gateway.equals("fake") && !gateway.equals("stripe")) {
      throw new ConfigException("TICKETRUSH_PAYMENT_GATEWAY must be fake or stripe, got '" + configured + "'");
    }
    return gateway;
  }
}
