package dev.ticketrush.order;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancellation over HTTP: refund, replay, who may cancel and until when, a used ticket, the cap afterwards. */
@TicketRushNode
class CancelApiTest {
  Api api;

  long event(JsonObject extra) {
    return api.createEvent(2, 10, extra).getLong("id");
  }

  static JsonObject refundableFor(Duration d) {
    return new JsonObject().put("refundableUntil", Instant.now().plus(d).toString());
  }

  @Test
  void ownerCancelsTicketsTurnVoidSeatsComeBackAndTheCapCountsThemNoMore() {
    long ev = event(refundableFor(Duration.ofDays(1)).put("maxTicketsPerUser", 2));
    assertThat(api.get("/api/events/" + ev, null).json().getString("refundableUntil")).isNotNull();
    String alice = api.token("alice-" + ev);
    JsonObject order = buy(api, ev, alice, 3, 4);
    String id = order.getString("orderId");
    // At the cap: a third seat is refused.
    assertThat(api.hold(ev, alice, 5).code()).isEqualTo("ticket_limit");

    Api.Reply r = cancel(alice, id, "cancel-1");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("CANCELLED");
    assertThat(r.json().getJsonArray("tickets")).allMatch(t -> "VOID".equals(((JsonObject) t).getString("status")));
    assertThat(api.seats(ev).getJsonArray("sold")).isEmpty();
    assertThat(api.get("/api/orders/" + id, alice).json().getString("status")).isEqualTo("CANCELLED");

    // A replay, with the same key or another, answers the order as it stands and refunds nothing twice.
    Api.Reply again = cancel(alice, id, "cancel-1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(cancel(alice, id, "cancel-other").status()).isEqualTo(200);
    // The same key for another order is a client bug.
    JsonObject second = buy(api, ev, alice, 7);
    assertThat(cancel(alice, second.getString("orderId"), "cancel-1").code()).isEqualTo("idempotency_key_reused");

    // The cancelled tickets stop counting toward maxTicketsPerUser, in Redis (holds) and PostgreSQL (orders).
    buy(api, ev, alice, 3);
    assertThat(api.hold(ev, alice, 4).code()).isEqualTo("ticket_limit");

    JsonObject audit = api.get("/api/events/" + ev + "/audit", api.token("auditor", "admin")).json();
    assertThat(audit.getBoolean("ok")).as(audit.encodePrettily()).isTrue();
    assertThat(audit.getJsonObject("cancellations").getLong("cancelled")).isEqualTo(1);
    JsonObject revenue = audit.getJsonObject("revenue");
    assertThat(revenue.getString("currency")).isEqualTo("USD");
    assertThat(revenue.getLong("confirmedTotal")).isEqualTo(2 * 5000);
    assertThat(revenue.getLong("refundedTotal")).isEqualTo(2 * 5000);
  }

  @Test
  void whoMayCancelAndWhen() {
    long past = event(refundableFor(Duration.ofDays(-1)));
    String bob = api.token("bob-" + past);
    String id = buy(api, past, bob, 1).getString("orderId");
    assertThat(cancel(bob, id, "k1").code()).isEqualTo("not_refundable");
    assertThat(cancel(api.token("mallory-" + past), id, "k1").code()).isEqualTo("order_not_found");
    assertThat(cancel(bob, UUID.randomUUID().toString(), "k1").code()).isEqualTo("order_not_found");
    assertThat(cancel(bob, "not-a-uuid", "k1").code()).isEqualTo("order_not_found");
    assertThat(api.post("/api/orders/" + id + "/cancel", bob, "").code()).isEqualTo("idempotency_key_required");
    assertThat(api.post("/api/orders/" + id + "/cancel", null, "", Map.of("Idempotency-Key", "k")).status()).isEqualTo(401);

    // Without a refund window only the organiser cancels; an admin may always.
    long none = event(new JsonObject());
    String carol = api.token("carol-" + none);
    String other = buy(api, none, carol, 2).getString("orderId");
    assertThat(cancel(carol, other, "k2").code()).isEqualTo("not_refundable");
    String admin = api.token("boss-" + past, "admin");
    assertThat(cancel(admin, id, "admin-1").status()).isEqualTo(200);
    assertThat(api.get("/api/orders/" + id, bob).json().getString("status")).isEqualTo("CANCELLED");

    // PATCH opens a window: the owner may cancel now.
    assertThat(api.patch("/api/events/" + none, admin, refundableFor(Duration.ofHours(1)).encode()).status()).isEqualTo(200);
    assertThat(cancel(carol, other, "k3").status()).isEqualTo(200);
  }

  @Test
  void aCheckedInTicketBlocksTheCancellationAndAVoidTicketIsRefusedAtTheDoor() {
    long ev = event(refundableFor(Duration.ofDays(1)));
    String dave = api.token("dave-" + ev);
    JsonObject order = buy(api, ev, dave, 1, 2);
    JsonArray tickets = api.get("/api/orders/" + order.getString("orderId"), dave).json().getJsonArray("tickets");
    String scanner = api.token("door-" + ev, "scanner");
    Api.Reply in = api.post("/api/events/" + ev + "/checkins", scanner,
        new JsonObject().put("code", tickets.getJsonObject(0).getString("code")).encode());
    assertThat(in.status()).isEqualTo(200);
    assertThat(cancel(dave, order.getString("orderId"), "k").code()).isEqualTo("ticket_used");
    assertThat(api.seats(ev).getJsonArray("sold")).hasSize(2);

    JsonObject other = buy(api, ev, dave, 3);
    String code = api.get("/api/orders/" + other.getString("orderId"), dave).json().getJsonArray("tickets")
        .getJsonObject(0).getString("code");
    assertThat(cancel(dave, other.getString("orderId"), "k2").status()).isEqualTo(200);
    assertThat(api.post("/api/events/" + ev + "/checkins", scanner, new JsonObject().put("code", code).encode()).code())
        .isEqualTo("ticket_void");
  }

  @Test
  void aTransferRespectsTheReceiversCap() {
    long ev = event(new JsonObject().put("maxTicketsPerUser", 1));
    String erin = api.token("erin-" + ev);
    String frank = api.token("frank-" + ev);
    JsonObject order = buy(api, ev, erin, 1);
    buy(api, ev, frank, 2);
    String ticket = api.get("/api/orders/" + order.getString("orderId"), erin).json().getJsonArray("tickets")
        .getJsonObject(0).getString("id");
    String path = "/api/orders/" + order.getString("orderId") + "/tickets/" + ticket + "/transfer";
    Api.Reply refused = api.post(path, erin, new JsonObject().put("to", "frank-" + ev).encode());
    assertThat(refused.code()).as(refused.toString()).isEqualTo("ticket_limit");
    assertThat(refused.json().getLong("remaining")).isZero();
    // Nothing moved: the ticket is still erin's and valid; a receiver under the cap gets it.
    assertThat(api.get("/api/orders/" + order.getString("orderId"), erin).json().getJsonArray("tickets")
        .getJsonObject(0).getString("status")).isEqualTo("VALID");
    Api.Reply moved = api.post(path, erin, new JsonObject().put("to", "gina-" + ev).encode());
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    // The fast count in Redis follows the ticket: the giver may hold again, the receiver is at the cap.
    Await.until(() -> api.hold(ev, erin, 3).status(), st -> st == 201, Duration.ofSeconds(5), Duration.ofMillis(50));
    assertThat(api.hold(ev, api.token("gina-" + ev), 4).code()).isEqualTo("ticket_limit");
  }

  @Test
  void aSaleMirroredAfterItsCancellationIsFreedByTheReconciler(io.vertx.core.Vertx vertx) {
    long ev = event(refundableFor(Duration.ofDays(1)));
    String hana = api.token("hana-" + ev);
    String id = buy(api, ev, hana, 9).getString("orderId");
    assertThat(cancel(hana, id, "k").status()).isEqualTo(200);
    // The purchase's own sell script arriving late (from another node): Redis shows the void ticket's seat sold.
    dev.ticketrush.infra.RedisLink redis = new dev.ticketrush.infra.RedisLink(vertx, dev.ticketrush.support.TestServices.redisUrl());
    Await.result(redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SADD)
        .arg(dev.ticketrush.infra.Keyspace.sold(ev)).arg(9)));
    assertThat(api.seats(ev).getJsonArray("sold")).contains(9);
    // PostgreSQL has no live ticket for it: the reconciler puts it back on sale rather than restoring it as sold.
    Await.until(() -> api.seats(ev).getJsonArray("sold"), JsonArray::isEmpty, Duration.ofSeconds(15), Duration.ofMillis(100));
    assertThat(api.hold(ev, api.token("ivan-" + ev), 9).status()).isEqualTo(201);
  }

  @Test
  void cancellationsRacingScansNeverLeaveATicketBothUsedAndRefunded() {
    long ev = event(refundableFor(Duration.ofDays(1)));
    String scanner = api.token("door-" + ev, "scanner");
    for (int round = 0; round < 6; round++) {
      String user = api.token("racer-" + round + "-" + ev);
      String id = buy(api, ev, user, round + 1).getString("orderId");
      String code = api.get("/api/orders/" + id, user).json().getJsonArray("tickets").getJsonObject(0).getString("code");
      List<CompletableFuture<Api.Reply>> cancels = new ArrayList<>();
      List<CompletableFuture<Api.Reply>> scans = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        cancels.add(api.postAsync("/api/orders/" + id + "/cancel", user, "", Map.of("Idempotency-Key", "race-" + i)));
        scans.add(api.postAsync("/api/events/" + ev + "/checkins", scanner, new JsonObject().put("code", code).encode(), Map.of()));
      }
      long admitted = scans.stream().map(CompletableFuture::join).filter(r -> r.status() == 200).count();
      List<Api.Reply> answers = cancels.stream().map(CompletableFuture::join).toList();
      long cancelled = answers.stream().filter(r -> r.status() == 200 || r.status() == 202).count();
      if (admitted == 1) {
        assertThat(answers).as("round %d: the ticket was used first", round).allMatch(r -> "ticket_used".equals(r.code()));
      } else {
        assertThat(admitted).as("round %d: at most one entry", round).isZero();
        assertThat(cancelled).as("round %d: every cancel answers the one cancellation", round).isEqualTo(8);
      }
      String status = api.get("/api/orders/" + id, user).json().getString("status");
      assertThat(status).isEqualTo(admitted == 1 ? "CONFIRMED" : "CANCELLED");
    }
    JsonObject audit = api.get("/api/events/" + ev + "/audit", api.token("auditor", "admin")).json();
    assertThat(audit.getBoolean("ok")).as(audit.encodePrettily()).isTrue();
    assertThat(audit.getJsonObject("revenue").getLong("confirmedTotal") + audit.getJsonObject("revenue").getLong("refundedTotal"))
        .isEqualTo(6 * 5000);
  }

  Api.Reply cancel(String token, String orderId, String key) {
    return api.post("/api/orders/" + orderId + "/cancel", token, "", Map.of("Idempotency-Key", key));
  }

  static JsonObject buy(Api api, long ev, String user, int... seats) {
    JsonArray list = new JsonArray();
    for (int s : seats) {
      list.add(s);
    }
    Api.Reply held = api.hold(ev, user, seats);
    assertThat(held.status()).as(held.toString()).isEqualTo(201);
    Api.Reply r = api.post("/api/events/" + ev + "/orders", user,
        new JsonObject().put("seats", list).put("paymentToken", "tok_ok").encode(),
        Map.of("Idempotency-Key", "buy-" + UUID.randomUUID()));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    // The sell script runs after the answer: wait until the mirror shows the seats sold.
    Await.until(() -> api.seats(ev).getJsonArray("sold"), sold -> sold.getList().containsAll(list.getList()),
        Duration.ofSeconds(10), Duration.ofMillis(20));
    return r.json();
  }
}
