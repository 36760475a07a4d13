package dev.ticketrush.payment.stripe;

import dev.ticketrush.payment.GatewayUnavailable;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.payment.PaymentGateway.Charge;
import dev.ticketrush.payment.PaymentGateway.ChargeRequest;
import dev.ticketrush.payment.PaymentGateway.Status;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.GatewaySimProcess;
import dev.ticketrush.support.Integration;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StripeGateway} against {@code gateway-sim} running as its own process: charges, idempotent replays,
 * declines, failures and lost answers settled by sending the same charge again (never by a search: the
 * simulator's search lags 20 s here, as Stripe's does), 409 while the first is running, processing intents,
 * cancels, refunds, and the simulator's Stripe wire format.
 */
@Integration
@ExtendWith(VertxExtension.class)
class StripeGatewayTest {
  static GatewaySimProcess sim;
  static Vertx vertx;
  static StripeGateway gateway;

  @BeforeAll
  static void startSimulator(Vertx vertx) throws Exception {
    StripeGatewayTest.vertx = vertx; // VertxExtension's, closed after the last test
    sim = GatewaySimProcess.start("--search-lag-ms", "20000", "--processing-ms", "1500");
    gateway = new StripeGateway(vertx, sim.baseUrl(), GatewaySimProcess.SECRET_KEY, 5_000);
  }

  @AfterAll
  static void stopSimulator() throws Exception {
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void theChargeIsExactlyTheRequestsAmountInItsCurrency() throws Exception {
    ChargeRequest base = request("tok_ok", 0);
    ChargeRequest eur = new ChargeRequest(base.chargeKey(), base.clientKey(), base.userId(), base.eventId(), 22_000,
        "EUR", base.paymentToken());
    Charge charge = Await.result(gateway.charge(eur));
    assertThat(charge.amountCents()).isEqualTo(22_000);
    JsonObject intent = sim.get("/v1/payment_intents/" + charge.id()).json();
    assertThat(intent.getLong("amount")).isEqualTo(22_000);
    assertThat(intent.getLong("amount_received")).isEqualTo(22_000);
    assertThat(intent.getString("currency")).isEqualTo("eur");
  }

  @Test
  void chargeCreatesOneConfirmedIntentWithTheMetadata() throws Exception {
    ChargeRequest request = request("tok_ok", 1500);
    Charge charge = Await.result(gateway.charge(request));
    assertThat(charge.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(charge.id()).startsWith("pi_");
    assertThat(charge.amountCents()).isEqualTo(1500);

    JsonObject intent = sim.get("/v1/payment_intents/" + charge.id()).json();
    assertThat(intent.getString("status")).isEqualTo("succeeded");
    assertThat(intent.getLong("amount")).isEqualTo(1500);
    assertThat(intent.getString("currency")).isEqualTo("usd");
    // Card only, no redirect-based methods: confirm=true needs no return_url whatever the account enables.
    assertThat(intent.getJsonArray("payment_method_types").getList()).containsExactly("card");
    assertThat(intent.getJsonObject("automatic_payment_methods")).isNull();
    assertThat(intent.getJsonObject("metadata").getMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ticketrush_key", request.clientKey(), "ticketrush_user", "user-1", "ticketrush_event", "7",
        "ticketrush_charge", request.chargeKey()));
    assertThat(Await.result(gateway.charge(request))).as("sent again: the stored result").isEqualTo(charge);
  }

  @Test
  void theSameChargeKeyTwiceChargesOnce() throws Exception {
    ChargeRequest request = request("tok_ok", 900);
    Charge first = Await.result(gateway.charge(request));
    Charge second = Await.result(gateway.charge(request));
    assertThat(second).isEqualTo(first);
    assertThat(sim.intentsWithChargeKey(request.chargeKey())).hasSize(1);
  }

  @Test
  void aDeclineIsAResultAndMovesNoMoney() throws Exception {
    ChargeRequest request = request("tok_declined", 1200);
    Charge charge = Await.result(gateway.charge(request));
    assertThat(charge.status()).isEqualTo(Status.DECLINED);
    assertThat(charge.id()).startsWith("pi_");
    assertThat(charge.declineReason()).isNotBlank();
    JsonObject intent = sim.get("/v1/payment_intents/" + charge.id()).json();
    assertThat(intent.getString("status")).isEqualTo("requires_payment_method");
    assertThat(intent.getLong("amount_received")).isZero();
    // The stored 402 replays as a 402: still a decline, still no money.
    assertThat(Await.result(gateway.charge(request))).isEqualTo(charge);
    assertThat(sim.intentsWithChargeKey(request.chargeKey())).hasSize(1);
  }

  @Test
  void aServerErrorIsAnUnknownOutcomeAndReplaysAsOne() throws Exception {
    ChargeRequest request = request("tok_error", 1000);
    assertThat(Await.failure(gateway.charge(request))).isInstanceOf(GatewayUnavailable.class);
    // Stripe stores a 500 under the key like any result: sending it again settles nothing, charges nothing.
    assertThat(Await.failure(gateway.charge(request))).isInstanceOf(GatewayUnavailable.class);
    assertThat(sim.intentsWithChargeKey(request.chargeKey())).isEmpty();
  }

  @Test
  void aLostAnswerIsSettledBySendingTheSameChargeAgain() throws Exception {
    StripeGateway impatient = new StripeGateway(vertx, sim.baseUrl(), GatewaySimProcess.SECRET_KEY, 500);
    ChargeRequest request = request("tok_timeout", 2500);
    assertThat(Await.failure(impatient.charge(request))).isInstanceOf(GatewayUnavailable.class);
    // Search lags (20 s here): it cannot see the charge, which is why nothing of ours asks it.
    String query = java.net.URLEncoder.encode("metadata['ticketrush_charge']:'" + request.chargeKey() + "'",
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(sim.get("/v1/payment_intents/search?query=" + query).json().getJsonArray("data")).isEmpty();
    Charge settled = Await.result(gateway.charge(request));
    assertThat(settled.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(settled.amountCents()).isEqualTo(2500);
    assertThat(sim.intentsWithChargeKey(request.chargeKey())).hasSize(1);
  }

  @Test
  void theSameKeyWhileTheFirstIsRunningIsUnknownNotASecondCharge() throws Exception {
    ChargeRequest request = request("tok_slow", 800);
    Future<Charge> first = gateway.charge(request);
    Await.pause(Duration.ofMillis(300)); // the first is inside its 2 s; a failure below would only mean it had not arrived yet
    GatewaySimProcess.Reply concurrent = sim.post("/v1/payment_intents", Map.of("amount", "800", "currency", "usd",
        "confirm", "true", "payment_method", "tok_slow", "payment_method_types[]", "card",
        "metadata[ticketrush_key]", request.clientKey(), "metadata[ticketrush_user]", "user-1",
        "metadata[ticketrush_event]", "7", "metadata[ticketrush_charge]", request.chargeKey()), request.chargeKey());
    assertThat(concurrent.status()).isEqualTo(409);
    assertThat(concurrent.json().getJsonObject("error").getString("code")).isEqualTo("idempotency_key_in_use");
    Charge charged = Await.result(first);
    assertThat(Await.result(gateway.charge(request))).isEqualTo(charged);
    assertThat(sim.intentsWithChargeKey(request.chargeKey())).hasSize(1);
  }

  @Test
  void aProcessingIntentIsUnknownUntilItSucceedsAndCanBeCanceledMeanwhile() throws Exception {
    ChargeRequest request = request("tok_processing", 600);
    Throwable pending = Await.failure(gateway.charge(request));
    assertThat(pending).isInstanceOf(GatewayUnavailable.class);
    String id = ((GatewayUnavailable) pending).chargeId();
    assertThat(id).startsWith("pi_");
    // The replayed answer says processing (a snapshot); the adapter reads the intent by id for its state now.
    Charge later = Await.until(() -> {
      try {
        return Await.result(gateway.charge(request), Duration.ofSeconds(15));
      } catch (RuntimeException stillProcessing) {
        return null;
      }
    }, charge -> charge != null, Duration.ofSeconds(15), Duration.ofMillis(100));
    assertThat(later).isEqualTo(Charge.succeeded(id, 600));
    assertThat(Await.failure(gateway.cancel(id))).as("a captured intent cannot be canceled").isInstanceOf(GatewayUnavailable.class);

    ChargeRequest canceled = request("tok_processing", 700);
    String canceledId = ((GatewayUnavailable) Await.failure(gateway.charge(canceled))).chargeId();
    Await.result(gateway.cancel(canceledId));
    assertThat(Await.result(gateway.charge(canceled)).status()).as("canceled: no money").isEqualTo(Status.DECLINED);
    assertThat(sim.get("/v1/payment_intents/" + canceledId).json().getLong("amount_received")).isZero();
  }

  @Test
  void aChargeThatWaitedTooLongForAConnectionIsNeverSent() throws Exception {
    // 64 lost answers hold every pooled connection; the 65th charge waits for one. Half its budget later it
    // gives up waiting and must never be sent, even when a connection frees up afterwards.
    StripeGateway busy = new StripeGateway(vertx, sim.baseUrl(), GatewaySimProcess.SECRET_KEY, 1_000);
    List<Future<Charge>> hogs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      hogs.add(busy.charge(request("tok_timeout", 100)));
    }
    ChargeRequest late = request("tok_ok", 100);
    assertThat(Await.failure(busy.charge(late))).isInstanceOf(GatewayUnavailable.class);
    hogs.forEach(Await::failure);
    // The pool serves waiters in order: once a later charge went through, a still-queued one would have been sent.
    // The hogs' connections close as their requests time out, so the probe may need a few tries.
    boolean probed = Await.until(() -> {
      try {
        return Await.result(busy.charge(request("tok_ok", 100)), Duration.ofSeconds(15)).succeeded();
      } catch (RuntimeException notYet) {
        return false;
      }
    }, ok -> ok, Duration.ofSeconds(20), Duration.ofMillis(100));
    assertThat(probed).as("a charge goes through once the hogs are gone").isTrue();
    assertThat(sim.intentsWithChargeKey(late.chargeKey())).isEmpty();
  }

  @Test
  void aSlowAnswerWithinTheDeadlineIsACharge() throws Exception {
    Charge charge = Await.result(gateway.charge(request("tok_slow", 300)));
    assertThat(charge.status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void refundIsIdempotentAndLookupSaysRefunded() throws Exception {
    ChargeRequest request = request("tok_ok", 4200);
    Charge charge = Await.result(gateway.charge(request));
    Await.result(gateway.refund(charge.id()));
    assertThat(refundsOf(charge.id())).hasSize(1);

    Await.result(gateway.refund(charge.id()));
    assertThat(refundsOf(charge.id())).hasSize(1);
  }

  @Test
  void aChargeRefundedUnderAnotherKeyCountsAsRefunded() throws Exception {
    Charge charge = Await.result(gateway.charge(request("tok_ok", 700)));
    assertThat(sim.post("/v1/refunds", Map.of("payment_intent", charge.id()), "operator-dashboard").status()).isEqualTo(200);
    Await.result(gateway.refund(charge.id()));
    assertThat(refundsOf(charge.id())).hasSize(1);
  }

  @Test
  void refundingAnUnknownChargeFails() {
    assertThat(Await.failure(gateway.refund("pi_doesnotexist"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWrongSecretKeyNeverLooksLikeACharge() throws Exception {
    StripeGateway misconfigured = new StripeGateway(vertx, sim.baseUrl(), "pk_test_publishable", 5_000);
    ChargeRequest request = request("tok_ok", 100);
    assertThat(Await.failure(misconfigured.charge(request))).isInstanceOf(GatewayUnavailable.class);
    assertThat(Await.failure(misconfigured.charges(null, 10))).isInstanceOf(GatewayUnavailable.class);
    assertThat(sim.intentsWithChargeKey(request.chargeKey())).isEmpty();
  }

  @Test
  void everyCallNeedsASecretKey() {
    assertThat(sim.get("/v1/payment_intents", null).status()).isEqualTo(401);
    assertThat(sim.get("/v1/refunds", "Bearer pk_test_x").status()).isEqualTo(401);
    GatewaySimProcess.Reply refused = sim.get("/v1/payment_intents", "Basic c2tfdGVzdDo=");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  void listsUseStripesFormatAndPageWithStartingAfter() throws Exception {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(Await.result(gateway.charge(request("tok_ok", 100 + i))).id());
    }
    GatewaySimProcess.Reply first = sim.get("/v1/payment_intents?limit=2");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().getString("object")).isEqualTo("list");
    assertThat(first.json().getString("url")).isEqualTo("/v1/payment_intents");
    assertThat(first.json().getBoolean("has_more")).isTrue();
    assertThat(first.json().getJsonArray("data")).hasSize(2);

    // Newest first: the first pages are this test's five charges, in reverse order of creation.
    List<String> paged = sim.allIntents(2).stream().map(pi -> pi.getString("id")).toList();
    assertThat(paged.subList(0, 5)).containsExactlyElementsOf(reversed(created));
    List<String> onePage = sim.allIntents(100).stream().map(pi -> pi.getString("id")).toList();
    assertThat(paged).doesNotHaveDuplicates().containsExactlyElementsOf(onePage);

    GatewaySimProcess.Reply last = sim.get("/v1/payment_intents?limit=100&starting_after=" + onePage.get(onePage.size() - 2));
    assertThat(last.json().getJsonArray("data")).hasSize(1);
    assertThat(last.json().getBoolean("has_more")).isFalse();
    assertThat(sim.get("/v1/payment_intents?starting_after=pi_unknown").status()).isEqualTo(400);
    assertThat(sim.get("/v1/payment_intents?limit=0").status()).isEqualTo(400);
    assertThat(sim.get("/v1/payment_intents?limit=101").status()).isEqualTo(400);
  }

  @Test
  void refundListsPageToo() throws Exception {
    List<String> refunded = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = Await.result(gateway.charge(request("tok_ok", 500))).id();
      Await.result(gateway.refund(id));
      refunded.add(id);
    }
    GatewaySimProcess.Reply first = sim.get("/v1/refunds?limit=1");
    assertThat(first.json().getString("object")).isEqualTo("list");
    assertThat(first.json().getBoolean("has_more")).isTrue();
    JsonObject newest = first.json().getJsonArray("data").getJsonObject(0);
    assertThat(newest.getString("id")).startsWith("re_");
    assertThat(newest.getString("payment_intent")).isEqualTo(refunded.get(2));
    assertThat(newest.getString("status")).isEqualTo("succeeded");
    assertThat(newest.getLong("amount")).isEqualTo(500);
    JsonObject second = sim.get("/v1/refunds?limit=1&starting_after=" + newest.getString("id")).json();
    assertThat(second.getJsonArray("data").getJsonObject(0).getString("payment_intent")).isEqualTo(refunded.get(1));
  }

  @Test
  void searchFindsByMetadataInStripesFormatOnceIndexed() throws Exception {
    try (GatewaySimProcess quick = GatewaySimProcess.start("--search-lag-ms", "0")) {
      searchFindsByMetadata(quick, new StripeGateway(vertx, quick.baseUrl(), GatewaySimProcess.SECRET_KEY, 5_000));
    }
  }

  private static void searchFindsByMetadata(GatewaySimProcess sim, StripeGateway gateway) throws Exception {
    ChargeRequest request = request("tok_ok", 100);
    Charge charge = Await.result(gateway.charge(request));
    String query = java.net.URLEncoder.encode("metadata['ticketrush_charge']:'" + request.chargeKey() + "'",
        java.nio.charset.StandardCharsets.UTF_8);
    JsonObject result = sim.get("/v1/payment_intents/search?query=" + query).json();
    assertThat(result.getString("object")).isEqualTo("search_result");
    assertThat(result.getBoolean("has_more")).isFalse();
    assertThat(result.getJsonArray("data")).hasSize(1);
    assertThat(result.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(charge.id());
    assertThat(sim.get("/v1/payment_intents/search?query=status:'succeeded'").status()).isEqualTo(400);

    // A quote or backslash in a key is escaped in the query, not allowed to end it.
    ChargeRequest quoted = new ChargeRequest("charge-o'neil\\" + UUID.randomUUID(), "client-q", "user-1", 7, 100, "USD", "tok_ok");
    Charge quotedCharge = Await.result(gateway.charge(quoted));
    String escaped = java.net.URLEncoder.encode("metadata['ticketrush_charge']:'"
        + quoted.chargeKey().replace("\\", "\\\\").replace("'", "\\'") + "'", java.nio.charset.StandardCharsets.UTF_8);
    JsonObject found = sim.get("/v1/payment_intents/search?query=" + escaped).json();
    assertThat(found.getJsonArray("data")).hasSize(1);
    assertThat(found.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(quotedCharge.id());
  }

  @Test
  void aReusedIdempotencyKeyWithOtherParametersIsRefused() {
    Map<String, String> form = Map.of("amount", "100", "currency", "usd", "confirm", "true", "payment_method", "tok_ok");
    String key = "raw-" + UUID.randomUUID();
    assertThat(sim.post("/v1/payment_intents", form, key).status()).isEqualTo(200);
    GatewaySimProcess.Reply reused = sim.post("/v1/payment_intents",
        Map.of("amount", "200", "currency", "usd", "confirm", "true", "payment_method", "tok_ok"), key);
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json().getJsonObject("error").getString("type")).isEqualTo("idempotency_error");
    GatewaySimProcess.Reply bad = sim.post("/v1/payment_intents", Map.of("amount", "ten", "currency", "usd",
        "confirm", "true", "payment_method", "tok_ok"), null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonObject("error").getString("param")).isEqualTo("amount");
  }

  private List<Object> refundsOf(String intentId) {
    return sim.get("/v1/refunds?payment_intent=" + intentId).json().getJsonArray("data").getList();
  }

  static ChargeRequest request(String token, long amountCents) {
    String key = UUID.randomUUID().toString();
    return new ChargeRequest("charge-" + key, "client-" + key, "user-1", 7, amountCents, "USD", token);
  }

  private static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
