package dev.ticketrush.queue;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-user and per-IP limits on holds, as a client meets them: 429 rate_limited with Retry-After. */
@TicketRushNode
class RateLimitApiTest {
  Api api; // set by @TicketRushNode

  /** n holds as fast as possible, at most 64 in flight (the server allows 100 streams on one HTTP/2 connection). */
  List<Api.Reply> burst(Api api, long event, String token, int n) {
    Semaphore inFlight = new Semaphore(64);
    List<CompletableFuture<Api.Reply>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inFlight.acquireUninterruptibly();
      sent.add(api.postAsync("/api/events/" + event + "/holds", token, "{\"seats\":[1]}", Map.of())
          .whenComplete((r, err) -> inFlight.release()));
    }
    return sent.stream().map(CompletableFuture::join).toList();
  }

  static void assertLimited(List<Api.Reply> replies, int maxPassed) {
    long passed = replies.stream().filter(r -> r.status() == 201).count();
    List<Api.Reply> limited = replies.stream().filter(r -> r.status() == 429).toList();
    assertThat(passed + limited.size()).as("only 201 and 429").isEqualTo(replies.size());
    assertThat(passed).isBetween(1L, (long) maxPassed);
    assertThat(limited).isNotEmpty().allSatisfy(r -> {
      assertThat(r.code()).isEqualTo("rate_limited");
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 2L);
    });
  }

  @Test
  void aBurstFromOneUserIsLimitedAndAnotherUserIsNot() {
    long event = api.createEvent(1, 10, new JsonObject().put("rateLimits", new JsonObject().put("perUser", 5))).getLong("id");
    String greedy = api.token("greedy");
    // burst 10, then 5/s while the 400 requests last (well under 10 s on any machine)
    assertLimited(burst(api, event, greedy, 400), 60);
    Api.Reply other = api.hold(event, api.token("patient"), 2);
    assertThat(other.status()).as(other.toString()).isEqualTo(201);
    assertThat(api.get("/metrics", null).body()).containsPattern("ticketrush_rate_limited_total(\\{[^}]*})? [1-9]");
  }

  @Test
  void theIpLimitCoversEveryUserBehindOneAddress() {
    long event = api.createEvent(1, 10, new JsonObject()
        .put("rateLimits", new JsonObject().put("perUser", 0).put("perIp", 1))).getLong("id");
    String neighbour = api.token("neighbour-2");
    // 1/s, burst 2: the neighbour asks well within the second it takes to earn a token back
    assertLimited(burst(api, event, api.token("neighbour-1"), 100), 3);
    Api.Reply sameIp = api.hold(event, neighbour, 2);
    assertThat(sameIp.status()).isEqualTo(429);
    assertThat(sameIp.code()).isEqualTo("rate_limited");
  }

  @Test
  @TicketRushNode("rateLimitUser=3")
  void theServiceDefaultAppliesWhenTheEventSetsNone(Api limitedApi) {
    long event = limitedApi.createEvent(1, 10, new JsonObject()).getLong("id");
    assertLimited(burst(limitedApi, event, limitedApi.token("default-limited"), 100), 30);
    long unlimited = limitedApi.createEvent(1, 10, new JsonObject()
        .put("rateLimits", new JsonObject().put("perUser", 0))).getLong("id");
    assertThat(burst(limitedApi, unlimited, limitedApi.token("default-off"), 100))
        .as("perUser 0 on the event turns the limit off").allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
  }
}
