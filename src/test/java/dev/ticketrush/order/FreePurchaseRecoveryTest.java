package dev.ticketrush.order;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.seat.SeatService;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A free purchase (total 0) whose node died between its claim and its confirm: the completer takes the row over
 * and confirms it without any gateway call, and the key's replay answers that order.
 */
@TicketRushNode({"completerIntervalMs=200", "paymentTimeoutMs=500"})
class FreePurchaseRecoveryTest {
  TestNode node;
  Api api;

  @Test
  void theCompleterConfirmsAnUnfinishedFreePurchaseWithoutACharge() {
    long ev = api.createEvent(1, 4, new JsonObject().put("categories",
        new JsonArray().add(new JsonObject().put("id", "guest").put("name", "Guest list").put("price", 0)))).getLong("id");
    String user = "free-" + ev;
    String token = api.token(user);
    assertThat(api.hold(ev, token, 2).status()).isEqualTo(201);

    // What the dead node left: the seats pinned under the purchase's charge key, the row claimed as CHARGING
    // with its deadline already passed, and no answer given.
    String key = "free-key-" + ev;
    String body = new JsonObject().put("seats", new JsonArray().add(2)).put("paymentToken", "tok_free").encode();
    Purchase left = new Purchase(user, key, PurchaseService.requestHash(ev, List.of(2), "tok_free"), PurchasePhase.CHARGING,
        UUID.randomUUID(), ev, List.of(2), "tok_free", 0, "USD", PurchaseService.chargeKey(user, key), null, null, null, 0,
        Instant.now());
    SeatService seats = new SeatService(node.app().vertx());
    assertThat(Await.result(seats.pin(ev, user, List.of(2), 30_000, 4, left.chargeKey(), "dead-node")).outcome())
        .isEqualTo(Outcome.PINNED);
    PurchaseRepository rows = new PurchaseRepository(node.app().pool(), 5_000);
    assertThat(Await.result(rows.claim(left, 0))).isTrue();

    // The client retries with the same key and gets the order the completer made.
    Api.Reply replay = Await.until(() -> api.post("/api/events/" + ev + "/orders", token, body, Map.of("Idempotency-Key", key)),
        r -> r.status() != 409, Duration.ofSeconds(30), Duration.ofMillis(100));
    assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
    assertThat(replay.json().getLong("total")).isZero();
    assertThat(replay.json().getJsonArray("items").getJsonObject(0).getLong("price")).isZero();

    // No charge anywhere: the purchase carries none, the order no payment reference, and the seat is sold.
    Row purchase = PurchaseInvariant.rows(node.app().pool(),
        "SELECT phase, charge_id FROM purchases WHERE user_id = $1 AND key = $2", user, key).get(0);
    assertThat(purchase.getString(0)).isEqualTo("CONFIRMED");
    assertThat(purchase.getString(1)).isNull();
    Row order = PurchaseInvariant.rows(node.app().pool(),
        "SELECT payment_ref, total_cents, status FROM orders WHERE event_id = $1", ev).get(0);
    assertThat(order.getString(0)).isNull();
    assertThat(order.getLong(1)).isZero();
    assertThat(order.getString(2)).isEqualTo("CONFIRMED");
    Await.until(() -> api.seats(ev).getJsonArray("sold").getList(), sold -> sold.contains(2), Duration.ofSeconds(10));
    // And the gateway's own ledger agrees: no charge was made for this event.
    PurchaseInvariant.check(node.app().pool(), api, ev,
        PurchaseInvariant.ledger((dev.ticketrush.payment.FakePaymentGateway) node.app().payments()));
  }
}
