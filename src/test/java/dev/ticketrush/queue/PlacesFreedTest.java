package dev.ticketrush.queue;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TestServices;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Places freed by confirmed orders and by DELETE /queue/me go to the next fans at once, and a sampler that
 * watches the live slots in Redis throughout never sees more than {@code maxActive}.
 */
@TicketRushNode
class PlacesFreedTest {
  private static final String LIVE_SLOTS = "local t = redis.call('TIME') "
      + "return redis.call('ZCOUNT', KEYS[1], '(' .. (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)), '+inf')";
  TestNode node;
  Api api;

  @Test
  void placesFreedByPurchasesAndLeavingAreRefilledWithoutExceedingMaxActive(Vertx vertx) throws Exception {
    int maxActive = 2;
    long event = api.createEvent(1, 20, new JsonObject().put("queue", new JsonObject().put("enabled", true)
        .put("admitPerSecond", 50).put("maxActive", maxActive))).getLong("id");
    RedisLink probe = new RedisLink(vertx, TestServices.redisUrl());
    AtomicLong most = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        long live = Await.result(probe.send(Request.cmd(Command.EVAL).arg(LIVE_SLOTS).arg(1)
            .arg(Keyspace.queue(event).get(2)))).toLong();
        most.accumulateAndGet(live, Math::max);
      }
    });
    sampler.start();
    try {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        tokens.add(api.token("freed-" + i));
        assertThat(api.post("/api/events/" + event + "/queue", tokens.get(i), "").status()).isEqualTo(200);
      }
      // User 7 gives up while waiting; user 6 leaves right after being admitted; everyone else buys one seat.
      assertThat(api.delete("/api/events/" + event + "/queue/me", tokens.get(7)).status()).isEqualTo(204);
      assertThat(me(event, tokens.get(7)).code()).isEqualTo("queue_not_joined");
      for (int i = 0; i < 7; i++) {
        String entry = awaitAdmission(event, tokens.get(i));
        if (i == 6) {
          assertThat(api.delete("/api/events/" + event + "/queue/me", tokens.get(i)).status()).isEqualTo(204);
          assertThat(hold(event, tokens.get(i), entry, 20).code()).as("the freed token no longer works").isEqualTo("admission_required");
          continue;
        }
        assertThat(hold(event, tokens.get(i), entry, i + 1).status()).isEqualTo(201);
        Api.Reply order = api.post("/api/events/" + event + "/orders", tokens.get(i),
            new JsonObject().put("seats", List.of(i + 1)).put("paymentToken", "tok_ok").encode(),
            Map.of("Idempotency-Key", "freed-" + i, QueueGate.ENTRY_TOKEN_HEADER, entry));
        assertThat(order.status()).as(order.toString()).isEqualTo(201);
        // Freed by the confirmed order, not by idling (20 s) or the token's expiry (10 min).
        int buyer = i;
        Await.until("buyer " + i + "'s place freed", () -> me(event, tokens.get(buyer)).status() == 404, Duration.ofSeconds(10));
      }
    } finally {
      sampling.set(false);
      sampler.join();
      probe.close();
    }
    assertThat(most.get()).as("live slots ever seen").isBetween(1L, (long) maxActive);
  }

  private Api.Reply me(long event, String token) {
    return api.get("/api/events/" + event + "/queue/me", token);
  }

  private Api.Reply hold(long event, String token, String entry, int seat) {
    return api.post("/api/events/" + event + "/holds", token, "{\"seats\":[" + seat + "]}",
        Map.of(QueueGate.ENTRY_TOKEN_HEADER, entry));
  }

  /** Polls until admitted (the place must come from a freed one: nobody here idles long enough to lapse). */
  private String awaitAdmission(long event, String token) {
    JsonObject r = Await.until(() -> me(event, token).json(), j -> j.getBoolean("admitted", false), Duration.ofSeconds(10));
    assertThat(r.getBoolean("admitted")).as("admitted").isTrue();
    return r.getString("entryToken");
  }
}
