package dev.ticketrush.order;

import dev.ticketrush.infra.EmbeddedServices;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redis restarts (empty: no persistence) under a running node: the node reconnects by itself, sold seats
 * come back from PostgreSQL within seconds and are never holdable again, and versions keep going up.
 */
class RedisRestartTest {

  @Test
  @TicketRushNode
  void soldSeatsSurviveARedisRestart(Api api) throws Exception {
    EmbeddedServices embedded = TestServices.embedded();
    assumeTrue(embedded != null, "Redis is not embedded in this run (external or Testcontainers): restart test skipped");
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice");
    assertThat(api.hold(ev, alice, 1, 2).status()).isEqualTo(201);
    assertThat(api.post("/api/events/" + ev + "/orders", alice, "{\"seats\":[1,2],\"paymentToken\":\"tok_ok\"}",
        Map.of("Idempotency-Key", "restart-1")).status()).isEqualTo(201);
    long before = api.seats(ev).getLong("version");

    embedded.restartRedis();

    String bob = api.token("bob");
    Api.Reply r = Await.until(() -> api.hold(ev, bob, 1, 3), reply -> reply.status() != 503, Duration.ofSeconds(10),
        Duration.ofMillis(100));
    // The first script after the restart finds the version counter gone and restores from PostgreSQL first.
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("seat_unavailable");
    JsonObject snap = api.seats(ev);
    assertThat(snap.getJsonArray("sold").getList()).containsExactly(1, 2);
    assertThat(snap.getLong("version")).isGreaterThan(before);
    assertThat(api.hold(ev, bob, 3).status()).isEqualTo(201);
    assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
    // Replaying the confirmed order still answers the stored 201 (PostgreSQL kept it).
    Api.Reply replay = api.post("/api/events/" + ev + "/orders", alice, "{\"seats\":[1,2],\"paymentToken\":\"tok_ok\"}",
        Map.of("Idempotency-Key", "restart-1"));
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
  }
}
