package dev.ticketrush;

import dev.ticketrush.config.AppConfig;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TestServices;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The after-sale audit, over HTTP (admin) and as the {@code audit} command, clean and with a planted mismatch. */
class AuditTest {
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() {
    // No reconciler during the test: it would repair the planted mismatch.
    node = TestNode.start(new JsonObject().put("reconcileIntervalMs", 600_000));
    api = new Api(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void cleanSaleThenAMirrorMismatch() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String buyer = api.token("audit-" + UUID.randomUUID());
    api.hold(ev, buyer, 1, 2);
    assertThat(api.post("/api/events/" + ev + "/orders", buyer,
        new JsonObject().put("seats", java.util.List.of(1, 2)).put("paymentToken", "tok_ok").encode(),
        Map.of("Idempotency-Key", "a-1")).status()).isEqualTo(201);
    String admin = api.token("auditor", "admin");

    JsonObject clean = api.get("/api/events/" + ev + "/audit", admin).json();
    assertThat(clean.getBoolean("ok")).as(clean.encode()).isTrue();
    assertThat(clean.getLong("confirmedOrders")).isEqualTo(1);
    assertThat(clean.getInteger("ticketsSold")).isEqualTo(2);
    assertThat(clean.getInteger("seatsSoldInRedis")).isEqualTo(2);
    // Charges and purchases side by side: the one captured charge is the confirmed purchase's.
    JsonObject payments = clean.getJsonObject("payments");
    assertThat(payments.getInteger("confirmedPurchases")).as(payments.encode()).isEqualTo(1);
    assertThat(payments.getLong("capturedCharges")).isEqualTo(1);
    assertThat(payments.getJsonArray("unownedCharges")).isEmpty();
    assertThat(payments.getJsonObject("purchasesByPhase").getInteger("CONFIRMED")).isEqualTo(1);
    assertThat(api.get("/api/events/" + ev + "/audit", buyer).code()).isEqualTo("forbidden");
    assertThat(AuditCommand.run(new String[] {"--event", Long.toString(ev)}, config())).isZero();

    RedisLink redis = new RedisLink(node.app().vertx(), TestServices.redisUrl());
    try {
      redis.send(Request.cmd(Command.SREM).arg(Keyspace.sold(ev)).arg(2)).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } finally {
      redis.close();
    }
    JsonObject broken = api.get("/api/events/" + ev + "/audit", admin).json();
    assertThat(broken.getBoolean("ok")).isFalse();
    assertThat(broken.getJsonArray("mismatches").getJsonObject(0).getString("kind")).isEqualTo("sold_but_not_in_redis");
    assertThat(broken.getJsonArray("mismatches").getJsonObject(0).getInteger("seat")).isEqualTo(2);
    assertThat(AuditCommand.run(new String[] {"--event", Long.toString(ev)}, config())).isEqualTo(2);
  }

  static AppConfig config() {
    return AppConfig.fromJson(new JsonObject().put("redisUrl", TestServices.redisUrl()).put("pgUrl", TestServices.pgUrl())
        .put("jwtSecret", "test-secret-test-secret-test-secret").put("paymentGateway", "fake"));
  }
}
