package dev.ticketrush.order;

import dev.ticketrush.payment.FakePaymentGateway;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.PgFaultProxy;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.ticketrush.order.PaymentFaultTest.finalAnswer;
import static dev.ticketrush.order.PaymentFaultTest.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection to PostgreSQL is lost exactly at the order transaction's COMMIT, after the card was charged.
 * The service must read before it refunds: a commit that happened is an order, one that did not is finished
 * by the completer while the seats are still pinned. Never a refund of a confirmed order, never two orders.
 */
class CommitFaultTest {
  static PgFaultProxy proxy;
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    proxy = PgFaultProxy.in_front_of(TestServices.pgUrl());
    node = TestNode.start(new JsonObject()
        .put("pgUrl", proxy.url(TestServices.pgUrl()))
        .put("paymentTimeoutMs", 1_000)
        .put("completerIntervalMs", 200));
    api = new Api(node);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    proxy.close();
  }

  static FakePaymentGateway gateway() {
    return (FakePaymentGateway) node.app().payments();
  }

  @Test
  void connectionLostAfterTheCommitIsAnOrderNotARefund() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String erin = api.token("erin-" + UUID.randomUUID());
    assertThat(api.hold(ev, erin, 1, 2).status()).isEqualTo(201);
    proxy.arm(PgFaultProxy.Mode.AFTER_COMMIT);
    Api.Reply first = api.post("/api/events/" + ev + "/orders", erin, order("tok_ok", 1, 2), Map.of("Idempotency-Key", "c-1"));
    assertThat(proxy.cuts()).isGreaterThanOrEqualTo(1);
    assertThat(first.status()).as(first.toString()).isIn(201, 503);
    Api.Reply replay = finalAnswer(() -> api.post("/api/events/" + ev + "/orders", erin, order("tok_ok", 1, 2),
        Map.of("Idempotency-Key", "c-1")), 20_000);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
    String chargeKey = PurchaseInvariant.rows(node.app().pool(), "SELECT charge_key FROM purchases WHERE event_id = $1", ev)
        .get(0).getString("charge_key");
    assertThat(PurchaseInvariant.ledger(gateway()).get(chargeKey).status()).as("not refunded")
        .isEqualTo(dev.ticketrush.payment.PaymentGateway.Status.SUCCEEDED);
    PurchaseInvariant.check(node.app().pool(), api, ev, PurchaseInvariant.ledger(gateway()));
  }

  @Test
  void connectionLostBeforeTheCommitIsFinishedByTheCompleter() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String finn = api.token("finn-" + UUID.randomUUID());
    assertThat(api.hold(ev, finn, 3).status()).isEqualTo(201);
    int cutsBefore = proxy.cuts();
    proxy.arm(PgFaultProxy.Mode.BEFORE_COMMIT);
    Api.Reply first = api.post("/api/events/" + ev + "/orders", finn, order("tok_ok", 3), Map.of("Idempotency-Key", "c-2"));
    assertThat(proxy.cuts()).isEqualTo(cutsBefore + 1);
    assertThat(first.status()).as(first.toString()).isEqualTo(503);
    Api.Reply replay = finalAnswer(() -> api.post("/api/events/" + ev + "/orders", finn, order("tok_ok", 3),
        Map.of("Idempotency-Key", "c-2")), 30_000);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
    PurchaseInvariant.check(node.app().pool(), api, ev, PurchaseInvariant.ledger(gateway()));
  }
}
