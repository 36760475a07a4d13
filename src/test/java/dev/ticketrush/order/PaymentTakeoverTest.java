package dev.ticketrush.order;

import dev.ticketrush.payment.FakePaymentGateway;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ticketrush.order.PaymentFaultTest.awaitPhase;
import static dev.ticketrush.order.PaymentFaultTest.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The completer takes a purchase over while its original request is still inside the gateway call, and a
 * request whose purchase was decided without its approved charge refunds that charge. Nodes of their own with
 * a patient gateway deadline (5 s), so the original is still waiting when the row changes under it.
 */
class PaymentTakeoverTest {
  @Test
  void takeoverWhileTheOriginalIsStillChargingCannotBeOverwrittenByIt() throws Exception {
    // This node's requests wait up to 5 s for the gateway, so the original is still inside its tok_slow charge
    // (charged at once, answered after 2 s) when the completer takes the purchase over.
    try (TestNode patient = TestNode.start(new JsonObject().put("paymentTimeoutMs", 5_000).put("completerIntervalMs", 100))) {
      Api papi = new Api(patient);
      long ev = papi.createEvent(1, 10, new JsonObject()).getLong("id");
      String daveId = "dave-" + UUID.randomUUID();
      String dave = papi.token(daveId);
      assertThat(papi.hold(ev, dave, 8).status()).isEqualTo(201);
      CompletableFuture<Api.Reply> original = papi.postAsync("/api/events/" + ev + "/orders", dave, order("tok_slow", 8),
          Map.of("Idempotency-Key", "s-1"));
      awaitPhase(patient, daveId, "s-1", "CHARGING");
      // Force the takeover now, while the original's charge call is in flight.
      PurchaseInvariant.rows(patient.app().pool(),
          "UPDATE purchases SET deadline = now() - interval '1 second' WHERE user_id = $1 AND key = $2", daveId, "s-1");
      awaitPhase(patient, daveId, "s-1", "CONFIRMED");

      Api.Reply answer = original.get(30, TimeUnit.SECONDS);
      assertThat(answer.status()).as("the original answers the completer's decision: " + answer).isEqualTo(201);
      Api.Reply replay = papi.post("/api/events/" + ev + "/orders", dave, order("tok_slow", 8), Map.of("Idempotency-Key", "s-1"));
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.json().getString("orderId")).isEqualTo(answer.json().getString("orderId"));
      PurchaseInvariant.check(patient.app().pool(), papi, ev, PurchaseInvariant.ledger((FakePaymentGateway) patient.app().payments()));
    }
  }

  @Test
  void aFencedOutRequestHoldingAnApprovedChargeRefundsIt() throws Exception {
    try (TestNode patient = TestNode.start(new JsonObject().put("paymentTimeoutMs", 5_000).put("completerIntervalMs", 100))) {
      Api papi = new Api(patient);
      long ev = papi.createEvent(1, 10, new JsonObject()).getLong("id");
      String eveId = "eve-" + UUID.randomUUID();
      String eve = papi.token(eveId);
      assertThat(papi.hold(ev, eve, 9).status()).isEqualTo(201);
      CompletableFuture<Api.Reply> original = papi.postAsync("/api/events/" + ev + "/orders", eve, order("tok_slow", 9),
          Map.of("Idempotency-Key", "f-1"));
      awaitPhase(patient, eveId, "f-1", "CHARGING");
      // While the charge is in flight, the purchase is decided without it (as by a completer past its bound).
      PurchaseInvariant.rows(patient.app().pool(), "UPDATE purchases SET phase = 'FAILED', outcome = 'PAYMENT_FAILED', "
          + "body = 'decided without the charge', claim_token = gen_random_uuid() WHERE user_id = $1 AND key = $2", eveId, "f-1");

      Api.Reply answer = original.get(30, TimeUnit.SECONDS);
      assertThat(answer.code()).as(answer.toString()).isEqualTo("payment_failed");
      String chargeKey = PurchaseService.chargeKey(eveId, "f-1");
      assertThat(PurchaseInvariant.ledger((FakePaymentGateway) patient.app().payments()).get(chargeKey).status())
          .as("the approved charge nobody owns is refunded").isEqualTo(dev.ticketrush.payment.PaymentGateway.Status.REFUNDED);
      PurchaseInvariant.check(patient.app().pool(), papi, ev, PurchaseInvariant.ledger((FakePaymentGateway) patient.app().payments()));
    }
  }
}
