package dev.ticketrush.order;

import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.GatewaySimProcess;
import dev.ticketrush.support.ServiceProcess;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of the service while 24 payments are inside a slow charge (gateway-sim's {@code tok_slow}: charged at
 * once, answered after 2 s), with the gateway in its own process. After a restart, the completer resolves every
 * purchase from the gateway's record: each captured charge is exactly one confirmed order and every key replays
 * a final answer within a bounded time.
 */
class PaymentCrashTest {
  static final int BUYERS = 24;

  @Test
  void everyChargeEndsAsOneConfirmedOrderAfterAKillDuringCharging() throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = dev.ticketrush.infra.Database.pool(vertx, TestServices.pgUrl(), 2);
    // Search lags longer than the completer's deadline: a search would find nothing, and none is made.
    try (GatewaySimProcess sim = GatewaySimProcess.start("--search-lag-ms", "60000")) {
      int port = TestNode.freePort();
      Api api = new Api("http://127.0.0.1:" + port);
      Process first = startService(port, sim);
      long ev;
      List<String> tokens = new ArrayList<>();
      List<String> users = new ArrayList<>();
      String run = Long.toString(System.nanoTime());
      try {
        waitReady(api);
        ev = api.createEvent(1, 100, new JsonObject()).getLong("id");
        List<CompletableFuture<Api.Reply>> inFlight = new ArrayList<>();
        for (int i = 0; i < BUYERS; i++) {
          String user = "kill-" + run + "-" + i;
          String token = api.token(user);
          users.add(user);
          tokens.add(token);
          assertThat(api.hold(ev, token, i + 1).status()).isEqualTo(201);
        }
        for (int i = 0; i < BUYERS; i++) {
          inFlight.add(api.postAsync("/api/events/" + ev + "/orders", tokens.get(i),
              "{\"seats\":[" + (i + 1) + "],\"paymentToken\":\"tok_slow\"}", Map.of("Idempotency-Key", "kill-" + i)));
        }
        awaitCharging(pool, ev, 20);
        first.destroyForcibly(); // SIGKILL: no drain, no shutdown hook
        first.waitFor(10, TimeUnit.SECONDS);
      } finally {
        first.destroyForcibly();
      }

      Process second = startService(port, sim);
      try {
        long restarted = System.currentTimeMillis();
        waitReady(api);
        // Every key must replay a final answer, within the completer's bound (phase deadline + passes).
        long deadline = restarted + 90_000; // a restart on a loaded 2-core machine takes tens of seconds itself
        for (int i = 0; i < BUYERS; i++) {
          Api.Reply r = replay(api, ev, tokens.get(i), i);
          while ((r.status() == 503 || "request_in_progress".equals(r.code())) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            r = replay(api, ev, tokens.get(i), i);
          }
          assertThat(r.status()).as("key kill-%d: %s", i, r).isIn(201, 402, 409);
        }
        long allFinalMs = System.currentTimeMillis() - restarted;
        System.out.println("[PaymentCrashTest] every key final " + allFinalMs + " ms after the restart");
        awaitMirror(api, ev, pool);
        PurchaseInvariant.check(pool, api, ev, ledger(sim));
      } finally {
        second.destroy();
        second.waitFor(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static Api.Reply replay(Api api, long ev, String token, int i) {
    return api.post("/api/events/" + ev + "/orders", token, "{\"seats\":[" + (i + 1) + "],\"paymentToken\":\"tok_slow\"}",
        Map.of("Idempotency-Key", "kill-" + i));
  }

  /** The gateway's record, keyed by our charge key: succeeded, or refunded when a refund exists. */
  static Map<String, PaymentGateway.Charge> ledger(GatewaySimProcess sim) {
    Set<String> refunded = new HashSet<>();
    String after = null;
    while (true) {
      GatewaySimProcess.Reply page = sim.get("/v1/refunds?limit=100" + (after == null ? "" : "&starting_after=" + after));
      page.json().getJsonArray("data").forEach(o -> refunded.add(((JsonObject) o).getString("payment_intent")));
      if (!page.json().getBoolean("has_more")) {
        break;
      }
      var data = page.json().getJsonArray("data");
      after = data.getJsonObject(data.size() - 1).getString("id");
    }
    Map<String, PaymentGateway.Charge> ledger = new HashMap<>();
    for (JsonObject pi : sim.allIntents(100)) {
      String key = pi.getJsonObject("metadata").getString("ticketrush_charge");
      PaymentGateway.Status status = refunded.contains(pi.getString("id")) ? PaymentGateway.Status.REFUNDED
          : "succeeded".equals(pi.getString("status")) ? PaymentGateway.Status.SUCCEEDED : PaymentGateway.Status.DECLINED;
      ledger.put(key, new PaymentGateway.Charge(pi.getString("id"), status, pi.getLong("amount"), null));
    }
    return ledger;
  }

  static void awaitCharging(Pool pool, long ev, int atLeast) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      long n = PurchaseInvariant.rows(pool, "SELECT count(*) FROM purchases WHERE event_id = $1 AND phase = 'CHARGING'", ev)
          .get(0).getLong(0);
      if (n >= atLeast) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("fewer than " + atLeast + " payments reached CHARGING");
  }

  /** The reconciler mirrors confirmed orders into Redis within seconds of the restart. */
  static void awaitMirror(Api api, long ev, Pool pool) throws InterruptedException {
    long tickets = PurchaseInvariant.rows(pool, "SELECT count(*) FROM tickets WHERE event_id = $1", ev).get(0).getLong(0);
    long deadline = System.currentTimeMillis() + 15_000;
    while (api.seats(ev).getJsonArray("sold").size() != tickets && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
  }

  private static Process startService(int port, GatewaySimProcess sim) throws Exception {
    return ServiceProcess.start(port, "payment-crash-node", Map.of(
        "TICKETRUSH_PAYMENT_GATEWAY", "stripe",
        "TICKETRUSH_STRIPE_API_BASE", sim.baseUrl(),
        "TICKETRUSH_STRIPE_SECRET_KEY", GatewaySimProcess.SECRET_KEY,
        "TICKETRUSH_PAYMENT_TIMEOUT_MS", "5000",
        "TICKETRUSH_COMPLETER_INTERVAL_MS", "250"));
  }

  private static void waitReady(Api api) throws InterruptedException {
    ServiceProcess.waitReady(api);
  }
}
