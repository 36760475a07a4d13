package dev.ticketrush.order;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service process is killed with SIGKILL in the middle of a purchase burst and started again: every
 * order that was answered 201 is still there, and no seat is sold twice.
 */
class CrashRecoveryTest {

  @Test
  void everyConfirmedOrderSurvivesSigkill() throws Exception {
    int port = TestNode.freePort();
    Process first = startService(port);
    List<String> confirmed = new ArrayList<>();
    Api api = new Api("http://127.0.0.1:" + port);
    long ev;
    List<String> users = new ArrayList<>();
    try {
      waitReady(api);
      ev = api.createEvent(1, 200, new JsonObject()).getLong("id");
      for (int i = 0; i < 60; i++) {
        String user = api.token("crash-" + i);
        users.add(user);
        assertThat(api.hold(ev, user, i + 1).status()).isEqualTo(201);
      }
      List<CompletableFuture<Api.Reply>> inFlight = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        inFlight.add(api.postAsync("/api/events/" + ev + "/orders", users.get(i),
            "{\"seats\":[" + (i + 1) + "],\"paymentToken\":\"tok_ok\"}", Map.of("Idempotency-Key", "crash-" + i)));
      }
      // SIGKILL while orders are still in flight: once some have answered, before all have.
      long deadline = System.currentTimeMillis() + 10_000;
      while (inFlight.stream().filter(CompletableFuture::isDone).count() < 10 && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      first.destroyForcibly();
      for (CompletableFuture<Api.Reply> f : inFlight) {
        try {
          Api.Reply r = f.get(10, TimeUnit.SECONDS);
          if (r.status() == 201) {
            confirmed.add(r.json().getString("orderId"));
          }
        } catch (Exception lostWithTheProcess) {
          // No answer: the client does not know; it would retry with the same key.
        }
      }
    } finally {
      first.destroyForcibly();
      first.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(confirmed).isNotEmpty();

    Process second = startService(port);
    try {
      waitReady(api);
      java.util.Set<String> stored = new java.util.HashSet<>();
      for (String user : users) {
        Api.Reply mine = api.get("/api/events/" + ev + "/orders/me", user);
        assertThat(mine.status()).isEqualTo(200);
        mine.json().getJsonArray("orders").forEach(o -> stored.add(((JsonObject) o).getString("orderId")));
      }
      assertThat(stored).containsAll(confirmed);
      List<Object> sold = api.seats(ev).getJsonArray("sold").getList();
      assertThat(sold).doesNotHaveDuplicates();
      // PostgreSQL is the truth: within a few seconds the Redis mirror shows exactly the stored orders as sold.
      long until = System.currentTimeMillis() + 10_000;
      while (sold.size() != stored.size() && System.currentTimeMillis() < until) {
        Thread.sleep(100);
        sold = api.seats(ev).getJsonArray("sold").getList();
      }
      assertThat(sold).hasSize(stored.size());
    } finally {
      second.destroy();
      second.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static Process startService(int port) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.ticketrush.Main");
    pb.environment().put("TICKETRUSH_HTTP_PORT", String.valueOf(port));
    pb.environment().put("TICKETRUSH_REDIS_URL", TestServices.redisUrl());
    pb.environment().put("TICKETRUSH_PG_URL", TestServices.pgUrl());
    pb.environment().put("TICKETRUSH_JWT_SECRET", "crash-test-secret-crash-test-secret");
    pb.environment().put("TICKETRUSH_DEV_TOKENS", "true");
    pb.environment().put("TICKETRUSH_PAYMENT_GATEWAY", "fake");
    pb.environment().put("TICKETRUSH_DEMO_EVENT", "false");
    pb.environment().put("TICKETRUSH_RATE_LIMIT_USER", "0");
    pb.environment().put("TICKETRUSH_RATE_LIMIT_IP", "0");
    pb.environment().put("TICKETRUSH_PAYMENT_LATENCY_MS", "30");
    pb.redirectErrorStream(true).redirectOutput(new File("target/crash-test-node-" + port + ".log"));
    return pb.start();
  }

  private static void waitReady(Api api) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (api.get("/health/ready", null).status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // connection refused while starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("service did not become ready");
  }
}
