package dev.ticketrush.support;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test fixtures themselves: node settings, polling with a deadline, names in plain words. No node started. */
class FixturesTest {

  @TicketRushNode({"rateLimitUser=3", "trustForwarded=true", "metricsToken=scrape-token", "name=\"42\""})
  static class Annotated {
  }

  @Test
  void nodeSettingsAreReadAsJsonElseAsText() {
    JsonObject json = NodeExtension.overrides(Annotated.class.getAnnotation(TicketRushNode.class));
    assertThat(json).isEqualTo(new JsonObject().put("rateLimitUser", 3).put("trustForwarded", true)
        .put("metricsToken", "scrape-token").put("name", "42"));
  }

  @Test
  void untilAnswersTheFirstProbeThatHoldsAndTheLastOneAtTheDeadline() {
    AtomicInteger n = new AtomicInteger();
    assertThat(Await.until(n::incrementAndGet, i -> i == 3, Duration.ofSeconds(10))).isEqualTo(3);
    assertThat(Await.until(() -> "never", s -> false, Duration.ofMillis(120))).isEqualTo("never");
    assertThatThrownBy(() -> Await.until("something", () -> false, Duration.ofMillis(60)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("something");
  }

  @Test
  void testNamesReadAsPlainWords() {
    assertThat(PlainWords.words("expiredHoldIsNeverHonouredEvenBeforeTheSweep"))
        .isEqualTo("expired hold is never honoured even before the sweep");
    assertThat(PlainWords.words("hs256TokenWithExpIsAccepted")).isEqualTo("hs 256 token with exp is accepted");
    assertThat(PlainWords.words("perIpLimitFollowsJWKSRotation")).isEqualTo("per ip limit follows JWKS rotation");
  }
}
