package dev.ticketrush.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The declared settings: how they are read, where defaults come from, and that each is written once. */
class AppConfigTest {

  @Test
  void everyConcernIsDeclaredAndDocumented() {
    Set<Class<?>> documented = AppConfig.CONCERNS.stream().map(Map.Entry::getValue).collect(Collectors.toSet());
    Set<Class<?>> held = Arrays.stream(AppConfig.class.getRecordComponents()).map(RecordComponent::getType)
        .filter(t -> t != Mode.class && t != SecurityConfig.class).collect(Collectors.toSet());
    assertThat(documented).containsAll(held).contains(AppConfig.Security.class);
    for (Class<?> concern : documented) {
      for (RecordComponent c : concern.getRecordComponents()) {
        Setting s = Settings.declaration(c);
        if (c.getType().isPrimitive()) {
          assertThat(Settings.defaultText(s, Mode.DEV)).as(s.key() + " in dev mode").isNotEqualTo(Setting.UNSET);
          assertThat(Settings.defaultText(s, Mode.PRODUCTION)).as(s.key() + " in production").isNotEqualTo(Setting.UNSET);
        }
      }
    }
  }

  @Test
  void defaultsApplyTheFileOverridesThemAndTheEnvironmentOverridesTheFile(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("application.json"), "{\"holdTtlMs\": 5000, \"pgPoolSize\": 3}");
    AppConfig config = AppConfig.load(conf, Map.of("TICKETRUSH_HOLD_TTL_MS", "7000",
        "TICKETRUSH_MAX_CONNECTIONS_PER_IP", "3", "TICKETRUSH_TRUST_FORWARDED", "yes", "OTHER_HTTP_PORT", "1"));
    assertThat(config.sale().holdTtlMs()).isEqualTo(7000);
    assertThat(config.postgres().poolSize()).isEqualTo(3);
    assertThat(config.limits().maxConnectionsPerIp()).isEqualTo(3);
    assertThat(config.http().trustForwarded()).isTrue();
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.payments().stripeApiBase()).isEqualTo("https://api.stripe.com");
    assertThat(config.payments().stripeSecretKey()).isNull();
  }

  @Test
  void theShippedFileHoldsOnlyOverridesOfDeclaredKeys() throws Exception {
    JsonObject file = new JsonObject(Files.readString(Path.of("conf/application.json")));
    Map<String, String> defaults = ConfigTable.rows().stream()
        .collect(Collectors.toMap(ConfigTable.Row::key, ConfigTable.Row::defaultText));
    for (String key : file.fieldNames()) {
      assertThat(defaults).as("declared keys").containsKey(key);
      assertThat(defaults.get(key)).as(key + " repeats its default").isNotEqualTo("`" + file.getValue(key) + "`");
    }
  }

  @Test
  void blankTextCountsAsUnset() {
    AppConfig config = AppConfig.fromJson(new JsonObject().put("allowedOrigin", " ").put("paymentGateway", ""));
    assertThat(config.http().allowedOrigin()).isEqualTo("*");
    assertThat(config.payments().gateway()).isEqualTo("fake");
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("httpPort", "99999999999")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_HTTP_PORT").hasMessageContaining("range");
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("trustForwarded", "maybe")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_TRUST_FORWARDED");
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("holdTtlMs", "")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_HOLD_TTL_MS");
  }

  @Test
  void withServicesChangesOnlyTheUrls() {
    AppConfig requested = AppConfig.fromJson(new JsonObject().put("pgPoolSize", 3).put("redisMode", "standalone"));
    AppConfig used = requested.withServices("redis://127.0.0.1:1", "postgresql://127.0.0.1:2/db");
    assertThat(used.redis().url()).isEqualTo("redis://127.0.0.1:1");
    assertThat(used.postgres().url()).isEqualTo("postgresql://127.0.0.1:2/db");
    assertThat(used.postgres().poolSize()).isEqualTo(3);
    assertThat(used.mode()).isEqualTo(Mode.DEV);
    assertThat(used.sale()).isEqualTo(requested.sale());
    assertThat(used.security()).isSameAs(requested.security());
    assertThatThrownBy(() -> Settings.with(used.redis(), "pgUrl", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
