package dev.ticketrush.order;

import dev.ticketrush.payment.FakePaymentGateway;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Purchases over HTTP against real Redis and PostgreSQL. */
class OrderApiTest {
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = new Api(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static String order(String token, int... seats) {
    JsonArray a = new JsonArray();
    for (int s : seats) {
      a.add(s);
    }
    return new JsonObject().put("seats", a).put("paymentToken", token).encode();
  }

  static Api.Reply buy(long ev, String user, String key, String body) {
    return api.post("/api/events/" + ev + "/orders", user, body, key == null ? Map.of() : Map.of("Idempotency-Key", key));
  }

  @Test
  void happyPathReplayAndKeyReuse() {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice");
    assertThat(api.hold(ev, alice, 1, 2).status()).isEqualTo(201);
    long charges = PurchaseInvariant.captured(gateway());

    Api.Reply first = buy(ev, alice, "k-1", order("tok_ok", 1, 2));
    assertThat(first.status()).isEqualTo(201);
    JsonObject o = first.json();
    assertThat(o.getString("status")).isEqualTo("CONFIRMED");
    assertThat(o.getLong("eventId")).isEqualTo(ev);
    assertThat(o.getJsonArray("seats").getList()).containsExactly(1, 2);
    assertThat(o.getString("createdAt")).isNotBlank();
    assertThat(first.header("Idempotent-Replayed")).isNull();

    Api.Reply replay = buy(ev, alice, "k-1", order("tok_ok", 1, 2));
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(PurchaseInvariant.captured(gateway())).isEqualTo(charges + 1);

    Api.Reply reused = buy(ev, alice, "k-1", order("tok_ok", 1));
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.code()).isEqualTo("idempotency_key_reused");

    JsonObject snap = api.seats(ev);
    assertThat(snap.getJsonArray("sold").getList()).containsExactly(1, 2);
    assertThat(snap.getJsonArray("held")).isEmpty();

    String id = o.getString("orderId");
    assertThat(api.get("/api/orders/" + id, alice).json()).isEqualTo(o);
    assertThat(api.get("/api/orders/" + id, api.token("mallory")).code()).isEqualTo("order_not_found");
    assertThat(api.get("/api/orders/" + UUID.randomUUID(), alice).status()).isEqualTo(404);
    assertThat(api.get("/api/orders/not-a-uuid", alice).status()).isEqualTo(404);
    assertThat(api.get("/api/events/" + ev + "/orders/me", alice).json().getJsonArray("orders")).containsExactly(o);
    assertThat(api.get("/api/events/" + ev + "/orders/me", api.token("bob")).json().getJsonArray("orders")).isEmpty();
  }

  @Test
  void refusalsBeforePaymentAreNotStored() {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice");
    String bob = api.token("bob");
    Api.Reply noKey = buy(ev, alice, null, order("tok_ok", 1));
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.code()).isEqualTo("idempotency_key_required");

    Api.Reply noHold = buy(ev, alice, "k-a", order("tok_ok", 1));
    assertThat(noHold.status()).isEqualTo(409);
    assertThat(noHold.code()).isEqualTo("hold_missing");

    assertThat(api.hold(ev, bob, 2).status()).isEqualTo(201);
    Api.Reply othersHold = buy(ev, alice, "k-b", order("tok_ok", 2));
    assertThat(othersHold.code()).isEqualTo("hold_missing");

    // The same key works once the cause is fixed, because the refusal was not stored.
    assertThat(api.hold(ev, alice, 1).status()).isEqualTo(201);
    assertThat(buy(ev, alice, "k-a", order("tok_ok", 1)).status()).isEqualTo(201);
    Api.Reply sold = buy(ev, bob, "k-c", order("tok_ok", 1));
    assertThat(sold.status()).isEqualTo(409);
    assertThat(sold.code()).isEqualTo("seat_sold");
    assertThat(buy(ev, alice, "k-d", "{\"seats\":[3]}").code()).isEqualTo("invalid_request");
    assertThat(buy(ev, alice, "x".repeat(65), order("tok_ok", 3)).code()).isEqualTo("invalid_request");
    assertInvariant(ev);
  }

  @Test
  void declinedPaymentIsStoredAndKeepsTheHolds() {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice");
    api.hold(ev, alice, 3);
    Api.Reply declined = buy(ev, alice, "k-dec", order("tok_declined", 3));
    assertThat(declined.status()).isEqualTo(402);
    assertThat(declined.code()).isEqualTo("payment_declined");
    Api.Reply replay = buy(ev, alice, "k-dec", order("tok_declined", 3));
    assertThat(replay.status()).isEqualTo(402);
    assertThat(replay.body()).isEqualTo(declined.body());
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(api.get("/api/events/" + ev + "/holds/me", alice).json().getJsonArray("seats").getList()).containsExactly(3);
    assertThat(api.hold(ev, api.token("bob"), 3).code()).isEqualTo("seat_unavailable");
    // Another card, new key: it goes through.
    assertThat(buy(ev, alice, "k-ok", order("tok_ok", 3)).status()).isEqualTo(201);
    assertInvariant(ev);
  }

  @Test
  void eightParallelOrdersOfOneUserSellOnce() {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice");
    api.hold(ev, alice, 4, 5);
    List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      replies.add(api.postAsync("/api/events/" + ev + "/orders", alice, order("tok_ok", 4, 5), Map.of("Idempotency-Key", "par-" + i)));
    }
    List<Api.Reply> done = replies.stream().map(CompletableFuture::join).toList();
    assertThat(done.stream().filter(r -> r.status() == 201)).hasSize(1);
    assertThat(done.stream().filter(r -> r.status() != 201))
        .allSatisfy(r -> assertThat(r.code()).isIn("hold_missing", "seat_sold"));
    assertInvariant(ev);
  }

  @Test
  void sameKeyInParallelChargesOnce() {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice");
    api.hold(ev, alice, 6);
    long charges = PurchaseInvariant.captured(gateway());
    List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(api.postAsync("/api/events/" + ev + "/orders", alice, order("tok_ok", 6), Map.of("Idempotency-Key", "same")));
    }
    List<Api.Reply> done = replies.stream().map(CompletableFuture::join).toList();
    for (Api.Reply r : done) {
      if (r.status() == 409) {
        assertThat(r.code()).isEqualTo("request_in_progress");
        assertThat(r.header("Retry-After")).isNotNull();
      } else {
        assertThat(r.status()).isEqualTo(201);
      }
    }
    assertThat(done.stream().filter(r -> r.status() == 201).map(Api.Reply::body).distinct()).hasSize(1);
    assertThat(PurchaseInvariant.captured(gateway())).isEqualTo(charges + 1);
    assertInvariant(ev);
  }

  @Test
  void expiredHoldsTakenByOthersNeverSellTwice() throws Exception {
    long ev = api.createEvent(1, 20, new JsonObject().put("holdTtlMs", 1000).put("maxSeatsPerUser", 2)).getLong("id");
    List<String> late = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String t = api.token("late-" + i);
      late.add(t);
      assertThat(api.hold(ev, t, i + 1).status()).isEqualTo(201);
    }
    Thread.sleep(1_300);
    List<CompletableFuture<Api.Reply>> takers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      takers.add(api.postAsync("/api/events/" + ev + "/holds", api.token("early-" + i), "{\"seats\":[" + (i + 1) + "]}", Map.of()));
    }
    List<String> earlyTokens = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      earlyTokens.add(api.token("early-" + i));
    }
    takers.forEach(CompletableFuture::join);
    List<CompletableFuture<Api.Reply>> orders = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      orders.add(api.postAsync("/api/events/" + ev + "/orders", late.get(i), order("tok_ok", i + 1), Map.of("Idempotency-Key", "late-" + i)));
      orders.add(api.postAsync("/api/events/" + ev + "/orders", earlyTokens.get(i), order("tok_ok", i + 1), Map.of("Idempotency-Key", "early-" + i)));
    }
    for (int i = 0; i < orders.size(); i++) {
      Api.Reply r = orders.get(i).join();
      if (i % 2 == 0) {
        assertThat(r.status()).as("late holder %d", i / 2).isEqualTo(409);
      }
    }
    assertInvariant(ev);
  }

  @Test
  void redisFlushedAfterSalesHealsWithinSeconds() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice");
    api.hold(ev, alice, 7, 8);
    assertThat(buy(ev, alice, "k-flush", order("tok_ok", 7, 8)).status()).isEqualTo(201);
    long before = api.seats(ev).getLong("version");
    flushRedis();
    long deadline = System.currentTimeMillis() + 5_000;
    JsonObject snap = api.seats(ev);
    while (snap.getJsonArray("sold").size() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      snap = api.seats(ev);
    }
    assertThat(snap.getJsonArray("sold").getList()).containsExactly(7, 8);
    assertThat(snap.getLong("version")).isGreaterThan(before);
    assertThat(api.hold(ev, api.token("bob"), 7).code()).isEqualTo("seat_unavailable");
  }

  private static void flushRedis() {
    var redis = new dev.ticketrush.infra.RedisLink(node.app().vertx(), node.app().config().redis().url());
    try {
      redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.FLUSHALL))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      redis.close();
    }
  }

  static FakePaymentGateway gateway() {
    return (FakePaymentGateway) node.app().payments();
  }

  /** count(tickets) == sum(seats of CONFIRMED orders) and no seat appears twice, straight from PostgreSQL. */
  static void assertInvariant(long ev) {
    Pool pool = node.app().pool();
    try {
      Row counts = pool.preparedQuery(
              "SELECT (SELECT count(*) FROM tickets WHERE event_id = $1) AS tickets, "
                  + "(SELECT coalesce(sum(cardinality(seats)), 0) FROM orders WHERE event_id = $1 AND status = 'CONFIRMED') AS sold, "
                  + "(SELECT count(DISTINCT seat_id) FROM tickets WHERE event_id = $1) AS distinct_seats")
          .execute(Tuple.of(ev)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).iterator().next();
      assertThat(counts.getLong("tickets")).isEqualTo(counts.getLong("sold"));
      assertThat(counts.getLong("distinct_seats")).isEqualTo(counts.getLong("tickets"));
      Set<Integer> soldInRedis = new HashSet<>();
      api.seats(ev).getJsonArray("sold").forEach(s -> soldInRedis.add((Integer) s));
      assertThat((long) soldInRedis.size()).isEqualTo(counts.getLong("tickets"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
