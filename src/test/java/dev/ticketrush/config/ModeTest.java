package dev.ticketrush.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dev/production decision and the defaults that follow from it (pure: no services). */
class ModeTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private static JsonObject production() {
    return new JsonObject().put("redisUrl", "redis://127.0.0.1:6379").put("pgUrl", "postgresql://u:p@127.0.0.1/db");
  }

  @Test
  void bothServicesEmbeddedIsDevModeWithEveryConvenienceOn() {
    AppConfig config = AppConfig.fromJson(new JsonObject());
    assertThat(config.mode()).isEqualTo(Mode.DEV);
    assertThat(config.operations().devTokens()).isTrue();
    assertThat(config.operations().demoEvent()).isTrue();
    assertThat(config.payments().gateway()).isEqualTo("fake");
    assertThat(config.security().randomSecret()).isTrue();
    assertThat(config.security().jwtSecret()).hasSizeGreaterThanOrEqualTo(SecurityConfig.MIN_SECRET_BYTES);
    assertThat(config.modeNotice()).startsWith("dev mode").contains("dev tokens on", "demo event on",
        "payment gateway fake", "JWT secret random");
  }

  @Test
  void devModeSecretIsRandomPerStart() {
    assertThat(AppConfig.fromJson(new JsonObject()).security().jwtSecret())
        .isNotEqualTo(AppConfig.fromJson(new JsonObject()).security().jwtSecret());
  }

  @Test
  void devModeConveniencesCanBeTurnedOff() {
    AppConfig config = AppConfig.fromJson(new JsonObject().put("devTokens", "false").put("demoEvent", false));
    assertThat(config.operations().devTokens()).isFalse();
    assertThat(config.operations().demoEvent()).isFalse();
  }

  @Test
  void bothUrlsSetIsProductionWithConveniencesOff() {
    AppConfig config = AppConfig.fromJson(production().put("jwtSecret", SECRET).put("paymentGateway", "stripe").put("stripeSecretKey", "sk_test_x"));
    assertThat(config.mode()).isEqualTo(Mode.PRODUCTION);
    assertThat(config.operations().devTokens()).isFalse();
    assertThat(config.operations().demoEvent()).isFalse();
    assertThat(config.payments().gateway()).isEqualTo("stripe");
    assertThat(config.security().randomSecret()).isFalse();
    assertThat(config.security().jwtSecret()).isEqualTo(SECRET);
    assertThat(config.modeNotice()).isNull();
  }

  @Test
  void devTokensInProductionOnlyWhenAskedAndThenWithAWarning() {
    AppConfig config = AppConfig.fromJson(production().put("jwtSecret", SECRET).put("paymentGateway", "fake")
        .put("devTokens", "true"));
    assertThat(config.operations().devTokens()).isTrue();
    assertThat(config.modeNotice()).contains("TICKETRUSH_DEV_TOKENS=true", "any user");
  }

  @Test
  void demoEventInProductionOnlyWhenAsked() {
    AppConfig config = AppConfig.fromJson(production().put("jwtSecret", SECRET).put("paymentGateway", "stripe").put("stripeSecretKey", "sk_test_x")
        .put("demoEvent", "true"));
    assertThat(config.operations().demoEvent()).isTrue();
  }

  @Test
  void halfEmbeddedIsRefused() {
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("redisUrl", "redis://127.0.0.1:6379")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("only TICKETRUSH_REDIS_URL is set").hasMessageContaining("half-embedded");
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("pgUrl", "postgresql://127.0.0.1/db")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("only TICKETRUSH_PG_URL is set");
  }

  @Test
  void blankUrlsCountAsUnset() {
    assertThat(AppConfig.fromJson(new JsonObject().put("redisUrl", " ").put("pgUrl", "")).mode()).isEqualTo(Mode.DEV);
  }

  @Test
  void productionNeedsAnExplicitPaymentGateway() {
    assertThatThrownBy(() -> AppConfig.fromJson(production().put("jwtSecret", SECRET)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_PAYMENT_GATEWAY");
    assertThat(AppConfig.fromJson(production().put("jwtSecret", SECRET).put("paymentGateway", "FAKE"))
        .payments().gateway()).isEqualTo("fake");
  }

  @Test
  void unknownPaymentGatewayIsRefusedInEveryMode() {
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("paymentGateway", "paypal")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("fake or stripe");
  }

  @Test
  void badNumbersAreConfigErrors() {
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("httpPort", "eighty")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("httpPort");
  }

  @Test
  void printedConfigShowsNoSecret() {
    AppConfig config = AppConfig.fromJson(production().put("jwtSecret", SECRET).put("paymentGateway", "stripe").put("stripeSecretKey", "sk_test_x")
        .put("stripeSecretKey", "sk_live_abcdef"));
    assertThat(config.toString()).doesNotContain(SECRET, "sk_live_abcdef", "u:p@").contains("PRODUCTION");
  }

  @Test
  void stripeWithoutASecretKeyIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppConfig.fromJson(production().put("jwtSecret", SECRET)
            .put("paymentGateway", "stripe")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_STRIPE_SECRET_KEY");
  }
}
