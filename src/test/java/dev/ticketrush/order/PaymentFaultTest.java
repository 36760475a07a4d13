package dev.ticketrush.order;

import dev.ticketrush.payment.FakePaymentGateway;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real gateway faults against the in-process fake gateway (same test tokens as gateway-sim), real Redis and
 * PostgreSQL. Each test ends with {@link PurchaseInvariant}: every captured charge is one confirmed order.
 */
// A short gateway deadline and a fast completer keep the tests quick; the reconciler stays out of the way of the
// test that plants a ticket behind Redis' back.
@TicketRushNode({"paymentTimeoutMs=500", "completerIntervalMs=200", "reconcileIntervalMs=600000"})
class PaymentFaultTest {
  TestNode node;
  Api api;

  FakePaymentGateway gateway() {
    return (FakePaymentGateway) node.app().payments();
  }

  static String order(String token, int... seats) {
    return OrderApiTest.order(token, seats);
  }

  Api.Reply buy(long ev, String user, String key, String body) {
    return api.post("/api/events/" + ev + "/orders", user, body, Map.of("Idempotency-Key", key));
  }

  /** Replays until the answer is final (not 409 request_in_progress / 503), within a deadline. */
  static Api.Reply finalAnswer(Supplier<Api.Reply> replay, long withinMs) {
    return Await.until(replay, r -> r.status() != 503 && !"request_in_progress".equals(r.code()),
        Duration.ofMillis(withinMs), Duration.ofMillis(100));
  }

  @Test
  void gatewayTimeoutAfterChargeEndsAsOneConfirmedOrder() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String aliceId = "alice-" + UUID.randomUUID();
    String alice = api.token(aliceId);
    assertThat(api.hold(ev, alice, 1, 2).status()).isEqualTo(201);

    Api.Reply first = buy(ev, alice, "t-1", order("tok_timeout", 1, 2));
    assertThat(first.status()).isEqualTo(503);
    assertThat(first.header("Retry-After")).isNotNull();
    assertThat(first.json().getString("detail")).doesNotContain("nothing was charged");

    Api.Reply resolved = finalAnswer(() -> buy(ev, alice, "t-1", order("tok_timeout", 1, 2)), 20_000);
    assertThat(resolved.status()).as(resolved.toString()).isEqualTo(201);
    assertThat(resolved.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(resolved.json().getJsonArray("seats").getList()).containsExactly(1, 2);
    PurchaseInvariant.check(node.app().pool(), api, ev, PurchaseInvariant.ledger(gateway()));
  }

  @Test
  void declinedKeyKeepsItsAnswerAndReuseWithAnotherBodyIs422() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String bob = api.token("bob-" + UUID.randomUUID());
    api.hold(ev, bob, 3);
    assertThat(buy(ev, bob, "d-1", order("tok_declined", 3)).code()).isEqualTo("payment_declined");
    assertThat(buy(ev, bob, "d-1", order("tok_ok", 3)).status()).isEqualTo(422);
    Api.Reply again = buy(ev, bob, "d-1", order("tok_declined", 3));
    assertThat(again.code()).isEqualTo("payment_declined");
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    PurchaseInvariant.check(node.app().pool(), api, ev, PurchaseInvariant.ledger(gateway()));
  }

  @Test
  void refundedKeyKeepsItsAnswerForeverAndReuseIs422() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String carolId = "carol-" + UUID.randomUUID();
    String carol = api.token(carolId);
    assertThat(api.hold(ev, carol, 5, 6).status()).isEqualTo(201);
    // Seat 5 was sold in PostgreSQL without Redis knowing (a lost sell script): carol's order must fail on the
    // UNIQUE constraint after her card was charged, and the charge must be refunded.
    UUID other = UUID.randomUUID();
    PurchaseInvariant.rows(node.app().pool(), "INSERT INTO orders (id, event_id, user_id, status, seats, payment_ref) "
        + "VALUES ($1, $2, 'someone', 'REFUNDED', '{5}', 'planted')", other, ev);
    PurchaseInvariant.rows(node.app().pool(), "INSERT INTO tickets (event_id, seat_id, order_id, id, holder) VALUES ($1, 5, $2, gen_random_uuid(), 'someone')",
        ev, other);

    Api.Reply first = buy(ev, carol, "r-1", order("tok_ok", 5, 6));
    assertThat(first.code()).isEqualTo("seat_sold");
    String chargeKey = PurchaseService.chargeKey(carolId, "r-1");
    assertThat(PurchaseInvariant.ledger(gateway()).get(chargeKey).status()).isEqualTo(PaymentGateway.Status.REFUNDED);

    // Same key, other seats: the key keeps its final answer; a real gateway would replay the refunded approval.
    api.hold(ev, carol, 7);
    assertThat(buy(ev, carol, "r-1", order("tok_ok", 6, 7)).status()).isEqualTo(422);
    Api.Reply replay = buy(ev, carol, "r-1", order("tok_ok", 5, 6));
    assertThat(replay.code()).isEqualTo("seat_sold");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(PurchaseInvariant.ledger(gateway()).get(chargeKey).status()).isEqualTo(PaymentGateway.Status.REFUNDED);
    assertThat(PurchaseInvariant.rows(node.app().pool(), "SELECT 1 FROM orders WHERE event_id = $1 AND status = 'CONFIRMED'", ev))
        .isEmpty();
  }

  static void awaitPhase(TestNode on, String user, String key, String phase) {
    Await.until("purchase " + key + " to reach " + phase, () -> {
      List<io.vertx.sqlclient.Row> rows = PurchaseInvariant.rows(on.app().pool(),
          "SELECT phase FROM purchases WHERE user_id = $1 AND key = $2", user, key);
      return !rows.isEmpty() && phase.equals(rows.get(0).getString("phase"));
    }, Duration.ofSeconds(15));
  }
}
