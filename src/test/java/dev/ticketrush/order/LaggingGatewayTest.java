package dev.ticketrush.order;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.GatewaySimProcess;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ticketrush.order.PaymentFaultTest.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Purchases through the Stripe adapter against a gateway-sim as unkind as Stripe: its search lags a minute
 * (far longer than the completer's deadline), a create can sit in {@code processing}, a 500 is replayed under
 * its key. Short bounds are injected so the unknown phase ends within seconds. Each test ends with
 * {@link PurchaseInvariant}: every captured charge is one confirmed order, or refunded.
 */
class LaggingGatewayTest {
  static GatewaySimProcess sim;
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    sim = GatewaySimProcess.start("--search-lag-ms", "60000", "--processing-ms", "2000");
    node = TestNode.start(new JsonObject()
        .put("paymentGateway", "stripe")
        .put("stripeApiBase", sim.baseUrl())
        .put("stripeSecretKey", GatewaySimProcess.SECRET_KEY)
        .put("paymentTimeoutMs", 500)
        .put("completerIntervalMs", 200)
        .put("paymentUnknownMaxAttempts", 3)
        .put("paymentUnknownMaxMs", 6_000)
        .put("chargeReconcileIntervalMs", 300)
        // One page of 100 per pass: a walk over more charges must resume from its stored cursor.
        .put("chargeReconcilePages", 1));
    api = new Api(node);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  static Api.Reply buy(long ev, String user, String key, String body) {
    return api.post("/api/events/" + ev + "/orders", user, body, Map.of("Idempotency-Key", key));
  }

  /** Replays until final; every answer on the way is kept, so a test can say what was never answered. */
  static List<Api.Reply> untilFinal(long ev, String user, String key, String body, long withinMs) throws InterruptedException {
    List<Api.Reply> seen = new ArrayList<>();
    long deadline = System.currentTimeMillis() + withinMs;
    Api.Reply r = buy(ev, user, key, body);
    seen.add(r);
    while ((r.status() == 503 || "request_in_progress".equals(r.code())) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      r = buy(ev, user, key, body);
      seen.add(r);
    }
    return seen;
  }

  @Test
  void aLostAnswerIsNeverA402WhileChargedAndEndsAsTheOrder() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice-" + UUID.randomUUID());
    assertThat(api.hold(ev, alice, 1, 2).status()).isEqualTo(201);
    List<Api.Reply> answers = untilFinal(ev, alice, "lost-1", order("tok_timeout", 1, 2), 30_000);
    assertThat(answers).extracting(Api.Reply::status).doesNotContain(402);
    Api.Reply last = answers.get(answers.size() - 1);
    assertThat(last.status()).as(last.toString()).isEqualTo(201);
    PurchaseInvariant.check(node.app().pool(), api, ev, PaymentCrashTest.ledger(sim));
  }

  @Test
  void aProcessingIntentSettlesOnceItSucceeds() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String bob = api.token("bob-" + UUID.randomUUID());
    assertThat(api.hold(ev, bob, 3).status()).isEqualTo(201);
    List<Api.Reply> answers = untilFinal(ev, bob, "proc-1", order("tok_processing", 3), 30_000);
    Api.Reply last = answers.get(answers.size() - 1);
    assertThat(last.status()).as(last.toString()).isEqualTo(201);
    PurchaseInvariant.check(node.app().pool(), api, ev, PaymentCrashTest.ledger(sim));
  }

  @Test
  void aGatewayThatNeverAnswersIsDecidedAtTheBoundWithoutAnOrder() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String carol = api.token("carol-" + UUID.randomUUID());
    assertThat(api.hold(ev, carol, 4).status()).isEqualTo(201);
    // tok_error: Stripe stores the 500 under the key, so sending it again never settles it: only the bound does.
    List<Api.Reply> answers = untilFinal(ev, carol, "err-1", order("tok_error", 4), 40_000);
    Api.Reply last = answers.get(answers.size() - 1);
    assertThat(last.code()).as(last.toString()).isEqualTo("payment_failed");
    assertThat(last.json().getString("detail")).contains("refunded automatically");
    assertThat(api.seats(ev).getJsonArray("sold").getList()).doesNotContain(4);
    PurchaseInvariant.check(node.app().pool(), api, ev, PaymentCrashTest.ledger(sim));
  }

  @Test
  void orphanChargesMadeAtTheGatewayAreRefundedByTheReconciliationAcrossPasses() throws Exception {
    // 150 charges with our metadata and no purchase, more than one pass reads (one page of 100).
    List<String> orphans = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      String chargeKey = "tr_orphan_" + UUID.randomUUID().toString().replace("-", "");
      GatewaySimProcess.Reply made = sim.post("/v1/payment_intents", Map.of("amount", "5000", "currency", "usd",
          "confirm", "true", "payment_method", "tok_ok", "metadata[ticketrush_charge]", chargeKey,
          "metadata[ticketrush_key]", "by-hand"), "hand-" + chargeKey);
      assertThat(made.status()).isEqualTo(200);
      orphans.add(chargeKey);
    }
    // Old enough after the bound plus a deadline (12 s here), then passes refund them, resuming where they stopped.
    long deadline = System.currentTimeMillis() + 90_000;
    long refunded = 0;
    while (refunded < orphans.size() && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);
      Map<String, dev.ticketrush.payment.PaymentGateway.Charge> ledger = PaymentCrashTest.ledger(sim);
      refunded = orphans.stream().filter(k -> ledger.get(k).status() == dev.ticketrush.payment.PaymentGateway.Status.REFUNDED).count();
    }
    assertThat(refunded).as("orphans refunded").isEqualTo(orphans.size());
    String first = PaymentCrashTest.ledger(sim).get(orphans.get(0)).id();
    assertThat(sim.get("/v1/refunds?payment_intent=" + first).json().getJsonArray("data")).as("refunded once").hasSize(1);
  }
}
