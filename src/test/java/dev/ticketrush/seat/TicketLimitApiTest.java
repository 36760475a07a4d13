package dev.ticketrush.seat;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * maxTicketsPerUser over HTTP against real Redis and PostgreSQL: what one user owns in an event (live holds +
 * seats being paid for + bought seats) never passes the cap, whatever the user races, loops or Redis loses.
 */
@TicketRushNode
class TicketLimitApiTest {
  TestNode node; // set by @TicketRushNode
  Api api;

  long event(int seats, int cap, int maxSeatsPerUser) {
    return api.createEvent(1, seats, new JsonObject().put("maxTicketsPerUser", cap).put("maxSeatsPerUser", maxSeatsPerUser))
        .getLong("id");
  }

  Api.Reply order(long ev, String token, List<Integer> seats) {
    return api.post("/api/events/" + ev + "/orders", token,
        new JsonObject().put("seats", new JsonArray(new ArrayList<>(seats))).put("paymentToken", "tok_ok").encode(),
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
  }

  static List<Integer> seatsOf(Api.Reply r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getJsonArray("seats").getList();
  }

  @Test
  @DisplayName("one user on two devices racing 32 holds and best-available calls gets exactly the cap")
  void thirtyTwoWayRaceOfOneUser() {
    // Plain holds name seats of section A, best available picks from section B: every success is a new seat.
    Api.Reply created = api.post("/api/events", api.token("limit-admin", "admin"), new JsonObject().put("name", "Race")
        .put("maxTicketsPerUser", 8).put("maxSeatsPerUser", 100)
        .put("sections", new JsonArray().add(new JsonObject().put("name", "A").put("rows", 1).put("seatsPerRow", 32))
            .add(new JsonObject().put("name", "B").put("rows", 1).put("seatsPerRow", 32))).encode());
    long ev = created.json().getLong("id");
    String phone = api.token("scalper");
    String laptop = api.token("scalper");
    List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      String device = i % 2 == 0 ? phone : laptop;
      String body = i % 4 < 2
          ? new JsonObject().put("seats", new JsonArray().add(i + 1)).encode()
          : new JsonObject().put("count", 1).put("section", "B").encode();
      String path = "/api/events/" + ev + (i % 4 < 2 ? "/holds" : "/holds/best");
      replies.add(api.postAsync(path, device, body, Map.of()));
    }
    List<Api.Reply> done = replies.stream().map(CompletableFuture::join).toList();
    assertThat(done.stream().filter(r -> r.status() == 201)).hasSize(8);
    assertThat(done.stream().filter(r -> r.status() != 201)).hasSize(24).allSatisfy(r -> {
      assertThat(r.code()).isEqualTo("ticket_limit");
      assertThat(r.json().getInteger("remaining")).isZero();
    });
    assertThat(api.seats(ev).getJsonArray("held")).hasSize(8);
    assertThat(api.get("/api/events/" + ev + "/holds/me", phone).json().getJsonArray("seats")).hasSize(8);
  }

  @Test
  @DisplayName("hold, buy, hold again: bought seats keep counting, so the loop stops at the cap")
  void holdBuyHoldLoopStopsAtTheCap() {
    long ev = event(20, 5, 2);
    String fan = api.token("looper");
    String best = "{\"count\":2}";
    List<Integer> first = seatsOf(api.post("/api/events/" + ev + "/holds/best", fan, best));
    assertThat(order(ev, fan, first).status()).isEqualTo(201);
    List<Integer> second = seatsOf(api.post("/api/events/" + ev + "/holds/best", fan, best));
    assertThat(order(ev, fan, second).status()).isEqualTo(201);
    Api.Reply third = api.post("/api/events/" + ev + "/holds/best", fan, best);
    assertThat(third.code()).isEqualTo("ticket_limit");
    assertThat(third.json().getInteger("remaining")).isEqualTo(1);
    List<Integer> last = seatsOf(api.hold(ev, fan, 20));
    // Released seats stop counting, held ones count while paying and after.
    assertThat(api.delete("/api/events/" + ev + "/holds/20", fan).status()).isEqualTo(204);
    last = seatsOf(api.hold(ev, fan, 19));
    assertThat(order(ev, fan, last).status()).isEqualTo(201);
    Api.Reply over = api.hold(ev, fan, 18);
    assertThat(over.code()).isEqualTo("ticket_limit");
    assertThat(over.json().getInteger("remaining")).isZero();
    // Someone else is not affected.
    assertThat(api.hold(ev, api.token("other-fan"), 18).status()).isEqualTo(201);
  }

  @Test
  @DisplayName("after Redis loses everything (FLUSHALL) the count is rebuilt from PostgreSQL's tickets")
  void theCapSurvivesRedisDataLoss() {
    long ev = event(20, 4, 4);
    String fan = api.token("survivor");
    assertThat(api.hold(ev, fan, 1, 2, 3).status()).isEqualTo(201);
    assertThat(order(ev, fan, List.of(1, 2, 3)).status()).isEqualTo(201);
    RedisLink redis = new RedisLink(node.app().vertx(), node.app().config().redis().url());
    try {
      Await.result(redis.send(Request.cmd(Command.FLUSHALL)), Duration.ofSeconds(5));
    } finally {
      redis.close();
    }
    Api.Reply over = api.hold(ev, fan, 4, 5);
    assertThat(over.code()).as(over.toString()).isEqualTo("ticket_limit");
    assertThat(over.json().getInteger("remaining")).isEqualTo(1);
    assertThat(api.hold(ev, fan, 4).status()).isEqualTo(201);
    assertThat(api.hold(ev, fan, 5).code()).isEqualTo("ticket_limit");
    assertThat(api.seats(ev).getJsonArray("sold").getList()).containsExactly(1, 2, 3);
  }

  @Test
  @DisplayName("PostgreSQL re-checks the cap in the purchase transaction: a count Redis lost cannot sell past it, and the charge is refunded")
  void thePurchaseTransactionReChecksTheCap() {
    long ev = event(10, 2, 2);
    String fan = api.token("recheck");
    assertThat(api.hold(ev, fan, 1, 2).status()).isEqualTo(201);
    assertThat(order(ev, fan, List.of(1, 2)).status()).isEqualTo(201);
    // Redis loses only the owned counts (no restore runs: the version counter is still there).
    RedisLink redis = new RedisLink(node.app().vertx(), node.app().config().redis().url());
    try {
      Await.result(redis.send(Request.cmd(Command.DEL).arg(Keyspace.seatScript(ev, null).get(9))), Duration.ofSeconds(5));
    } finally {
      redis.close();
    }
    assertThat(api.hold(ev, fan, 3).status()).as("Redis no longer counts the bought seats").isEqualTo(201);
    String key = UUID.randomUUID().toString();
    String body = new JsonObject().put("seats", new JsonArray().add(3)).put("paymentToken", "tok_ok").encode();
    Api.Reply over = api.post("/api/events/" + ev + "/orders", fan, body, Map.of("Idempotency-Key", key));
    assertThat(over.status()).as(over.toString()).isEqualTo(409);
    assertThat(over.code()).isEqualTo("ticket_limit");
    assertThat(over.json().getInteger("remaining")).as("the cap of 2 was used up before this order").isZero();
    Api.Reply replay = api.post("/api/events/" + ev + "/orders", fan, body, Map.of("Idempotency-Key", key));
    assertThat(replay.code()).isEqualTo("ticket_limit");
    assertThat(replay.json().getInteger("remaining")).isZero();
    assertThat(api.seats(ev).getJsonArray("sold").getList()).containsExactly(1, 2);
    assertThat(api.get("/api/events/" + ev + "/orders/me", fan).json().getJsonArray("orders")).hasSize(1);
    JsonObject payments = api.get("/api/events/" + ev + "/audit", api.token("recheck-admin", "admin")).json()
        .getJsonObject("payments");
    assertThat(payments.getJsonObject("purchasesByPhase").getInteger("REFUNDED")).as(payments.encode()).isEqualTo(1);
  }

  @Test
  @DisplayName("a free purchase PostgreSQL refuses at the cap is decided without any gateway call (nothing to refund)")
  void aFreePurchaseOverTheCapIsRefusedWithoutACharge() {
    String admin = api.token("free-cap-admin", "admin");
    long ev = api.post("/api/events", admin, new JsonObject().put("name", "Free cap").put("maxTicketsPerUser", 2)
        .put("categories", new JsonArray().add(new JsonObject().put("id", "guest").put("name", "Guest").put("price", 0)))
        .put("sections", new JsonArray().add(new JsonObject().put("name", "A").put("rows", 1).put("seatsPerRow", 10)))
        .encode()).json().getLong("id");
    String fan = api.token("free-recheck");
    assertThat(api.hold(ev, fan, 1, 2).status()).isEqualTo(201);
    assertThat(order(ev, fan, List.of(1, 2)).json().getLong("total")).isZero();
    RedisLink redis = new RedisLink(node.app().vertx(), node.app().config().redis().url());
    try {
      Await.result(redis.send(Request.cmd(Command.DEL).arg(Keyspace.seatScript(ev, null).get(9))), Duration.ofSeconds(5));
    } finally {
      redis.close();
    }
    assertThat(api.hold(ev, fan, 3).status()).isEqualTo(201);
    Api.Reply over = order(ev, fan, List.of(3));
    assertThat(over.code()).as(over.toString()).isEqualTo("ticket_limit");
    assertThat(over.json().getInteger("remaining")).isZero();
    JsonObject audit = api.get("/api/events/" + ev + "/audit", admin).json();
    JsonObject payments = audit.getJsonObject("payments");
    assertThat(payments.getInteger("gatewayCharges")).as(payments.encode()).isZero();
    assertThat(payments.getJsonObject("purchasesByPhase").getInteger("REFUNDED")).isEqualTo(1);
    assertThat(audit.getJsonObject("revenue").getLong("refundedTotal")).as("nothing was charged, nothing given back").isZero();
    assertThat(audit.getBoolean("ok")).as(audit.encode()).isTrue();
  }

  @Test
  @DisplayName("a hold that expires stops counting")
  void expiredHoldsStopCounting() {
    long ev = api.createEvent(1, 10, new JsonObject().put("maxTicketsPerUser", 2).put("holdTtlMs", 1000)).getLong("id");
    String fan = api.token("patient");
    assertThat(api.hold(ev, fan, 1, 2).status()).isEqualTo(201);
    assertThat(api.hold(ev, fan, 3).code()).isEqualTo("ticket_limit");
    // Each probe is a hold: the assertion waits for the state (the holds expired), not for a time.
    Api.Reply again = Await.until(() -> api.hold(ev, fan, 3, 4), r -> r.status() == 201, Duration.ofSeconds(15),
        Duration.ofMillis(100));
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
  }
}
