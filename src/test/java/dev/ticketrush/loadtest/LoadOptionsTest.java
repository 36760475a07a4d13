package dev.ticketrush.loadtest;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {
  @Test
  void defaultsAreLoopbackAndBounded() {
    LoadOptions o = LoadOptions.parse();
    assertThat(o.baseUrl().toString()).isEqualTo("http://127.0.0.1:8080");
    assertThat(o.connections()).isEqualTo(256);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.maxRequests()).isPositive();
    assertThat(o.scenarios()).containsExactly("hold-race");
  }

  @Test
  void parsesEveryOption() {
    LoadOptions o = LoadOptions.parse("--scenario", "all", "--base-url", "http://localhost:18080/", "--connections", "16",
        "--duration", "1m30s", "--max-requests", "5000", "--users", "40", "--ws-clients", "300",
        "--changes-per-second", "50", "--out", "reports/x", "--threads=1", "--pgbench-tps", "1234.5");
    assertThat(o.scenarios()).containsExactlyElementsOf(LoadOptions.ALL);
    assertThat(o.port()).isEqualTo(18080);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.durationPerScenario()).isEqualTo(Duration.ofMillis(22_500));
    assertThat(o.requestsPerScenario()).isEqualTo(1250);
    assertThat(o.users()).isEqualTo(40);
    assertThat(o.wsClients()).isEqualTo(300);
    assertThat(o.changesPerSecond()).isEqualTo(50);
    assertThat(o.threads()).isEqualTo(1);
    assertThat(o.pgbenchTps()).isEqualTo(1234.5);
  }

  @Test
  void onlyLoopbackTargetsUnlessAllowed() {
    assertThat(LoadOptions.isLoopback("127.0.0.1")).isTrue();
    assertThat(LoadOptions.isLoopback("127.1.2.3")).isTrue();
    assertThat(LoadOptions.isLoopback("localhost")).isTrue();
    assertThat(LoadOptions.isLoopback("[::1]")).isTrue();
    assertThat(LoadOptions.isLoopback("::1")).isTrue();
    assertThat(LoadOptions.isLoopback("10.0.0.1")).isFalse();
    assertThat(LoadOptions.isLoopback("192.168.1.10")).isFalse();
    assertThat(LoadOptions.isLoopback("127.evil.example")).isFalse();
    assertThat(LoadOptions.isLoopback("localhost.evil.example")).isFalse();
    assertThat(LoadOptions.isLoopback("example.com")).isFalse();
    assertThatThrownBy(() -> LoadOptions.parse("--base-url", "http://10.1.2.3:8080"))
        .hasMessageContaining("only loopback");
    assertThatThrownBy(() -> LoadOptions.parse("--base-url", "http://127.0.0.1@example.com:8080"))
        .hasMessageContaining("only loopback");
    assertThat(LoadOptions.parse("--base-url", "http://10.1.2.3:8080", "--allow-remote").host()).isEqualTo("10.1.2.3");
    assertThat(LoadOptions.parse("--base-url", "http://[::1]:9000").host()).isEqualTo("::1");
  }

  @Test
  void refusesUnboundedOrBadInput() {
    assertThatThrownBy(() -> LoadOptions.parse("--duration", "11m")).hasMessageContaining("at most 10m");
    assertThatThrownBy(() -> LoadOptions.parse("--duration", "soon")).hasMessageContaining("bad duration");
    assertThatThrownBy(() -> LoadOptions.parse("--max-requests", "0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoadOptions.parse("--scenario", "nope")).hasMessageContaining("unknown scenario");
    assertThatThrownBy(() -> LoadOptions.parse("--bogus", "1")).hasMessageContaining("unknown option");
    assertThatThrownBy(() -> LoadOptions.parse("--connections")).hasMessageContaining("needs a value");
    assertThat(LoadOptions.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(LoadOptions.parseDuration("2")).isEqualTo(Duration.ofSeconds(2));
  }
}
