package dev.ticketrush.gatewaysim;

import dev.ticketrush.support.GatewaySimProcess;
import dev.ticketrush.support.Integration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's memory bounds: a full ledger refuses new charges without charging; bodies are capped. */
@Integration
class GatewaySimLimitsTest {
  static GatewaySimProcess sim;

  @BeforeAll
  static void startSimulator() throws Exception {
    sim = GatewaySimProcess.start("--max-intents", "3");
  }

  @AfterAll
  static void stopSimulator() throws Exception {
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void aFullLedgerRefusesNewChargesButStillReplaysOldOnes() {
    for (int i = 0; i < 3; i++) {
      assertThat(sim.post("/v1/payment_intents", charge(), "key-" + i).status()).isEqualTo(200);
    }
    GatewaySimProcess.Reply refused = sim.post("/v1/payment_intents", charge(), "key-3");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().getJsonObject("error").getString("type")).isEqualTo("api_error");
    assertThat(sim.allIntents(10)).hasSize(3);
    assertThat(sim.post("/v1/payment_intents", charge(), "key-0").status()).isEqualTo(200);
  }

  @Test
  void anOversizedBodyIsRefused() {
    GatewaySimProcess.Reply refused = sim.post("/v1/refunds", Map.of("payment_intent", "x".repeat(SimServer.MAX_BODY_BYTES + 1)), null);
    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.json().getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
  }

  private static Map<String, String> charge() {
    return Map.of("amount", "100", "currency", "usd", "confirm", "true", "payment_method", "tok_ok");
  }
}
