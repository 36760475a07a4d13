package dev.ticketrush.order;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM in the middle of a sale: purchases inside a slow charge (gateway-sim's {@code tok_slow}, answered
 * after 2 s) and browsers reading the seat map and holding seats. The node stops in dependency order: HTTP
 * first (no new connections; requests on open ones answer 503 with Retry-After), in-flight purchases finish,
 * then the rest. No request gets any other 5xx; after a restart every purchase key replays a final answer and
 * the purchase invariant holds.
 */
class GracefulShutdownTest {
  static final int BUYERS = 16;

  @Test
  void sigtermUnderLoadAnswersOnly503AndLeavesEveryKeyFinal() throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = dev.ticketrush.infra.Database.pool(vertx, TestServices.pgUrl(), 2);
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    AtomicInteger refused503 = new AtomicInteger();
    AtomicInteger noConnection = new AtomicInteger();
    try (GatewaySimProcess sim = GatewaySimProcess.start()) {
      int port = TestNode.freePort();
      Api api = new Api("http://127.0.0.1:" + port);
      Process first = startService(port, sim);
      long ev;
      List<String> tokens = new ArrayList<>();
      try {
        ServiceProcess.waitReady(api);
        ev = api.createEvent(2, 100, new JsonObject()).getLong("id");
        for (int i = 0; i < BUYERS; i++) {
          String token = api.token("term-" + ev + "-" + i);
          tokens.add(token);
          assertThat(api.hold(ev, token, i + 1).status()).isEqualTo(201);
        }
        AtomicBoolean browsing = new AtomicBoolean(true);
        List<Thread> browsers = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
          String browser = api.token("browser-" + ev + "-" + b);
          int seat = 150 + b;
          Thread t = new Thread(() -> {
            while (browsing.get()) {
              try {
                for (Api.Reply r : List.of(api.get("/api/events/" + ev + "/seats", null), api.hold(ev, browser, seat),
                    api.delete("/api/events/" + ev + "/holds/" + seat, browser))) {
                  if (r.status() == 503 && r.header("Retry-After") != null) {
                    refused503.incrementAndGet();
                  } else if (r.status() >= 500) {
                    unexpected.add(r.toString());
                  }
                }
              } catch (RuntimeException connectionRefusedOrClosed) {
                noConnection.incrementAndGet(); // the node no longer accepts: a load balancer sends it elsewhere
                sleep(20);
              }
            }
          }, "browser-" + b);
          browsers.add(t);
          t.start();
        }
        List<CompletableFuture<Api.Reply>> purchases = new ArrayList<>();
        for (int i = 0; i < BUYERS; i++) {
          purchases.add(api.postAsync("/api/events/" + ev + "/orders", tokens.get(i), body(i),
              Map.of("Idempotency-Key", "term-" + i)));
        }
        PaymentCrashTest.awaitCharging(pool, ev, BUYERS / 2);
        first.destroy(); // SIGTERM: the shutdown hook closes the node in order
        assertThat(first.waitFor(40, TimeUnit.SECONDS)).as("the node exits by itself").isTrue();
        browsing.set(false);
        for (Thread t : browsers) {
          t.join(30_000);
        }
        int answered = 0;
        for (CompletableFuture<Api.Reply> f : purchases) {
          try {
            Api.Reply r = f.get(30, TimeUnit.SECONDS);
            answered++;
            if (r.status() >= 500 && (r.status() != 503 || r.header("Retry-After") == null)) {
              unexpected.add(r.toString());
            }
          } catch (Exception lostWithTheConnection) {
            noConnection.incrementAndGet();
          }
        }
        System.out.printf("[GracefulShutdownTest] %d of %d purchases answered during the drain; %d requests refused "
            + "with 503 + Retry-After, %d found no connection%n", answered, BUYERS, refused503.get(), noConnection.get());
      } finally {
        first.destroyForcibly();
      }
      assertThat(unexpected).as("5xx other than 503 with Retry-After").isEmpty();

      Process second = startService(port, sim);
      try {
        ServiceProcess.waitReady(api);
        long deadline = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < BUYERS; i++) {
          Api.Reply r = replay(api, ev, tokens.get(i), i);
          while ((r.status() == 503 || "request_in_progress".equals(r.code())) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            r = replay(api, ev, tokens.get(i), i);
          }
          assertThat(r.status()).as("key term-%d: %s", i, r).isIn(201, 402, 409);
        }
        PaymentCrashTest.awaitMirror(api, ev, pool);
        PurchaseInvariant.check(pool, api, ev, PaymentCrashTest.ledger(sim));
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String body(int i) {
    return "{\"seats\":[" + (i + 1) + "],\"paymentToken\":\"tok_slow\"}";
  }

  private static Api.Reply replay(Api api, long ev, String token, int i) {
    return api.post("/api/events/" + ev + "/orders", token, body(i), Map.of("Idempotency-Key", "term-" + i));
  }

  private static Process startService(int port, GatewaySimProcess sim) throws Exception {
    return ServiceProcess.start(port, "graceful-shutdown-node", Map.of(
        "TICKETRUSH_PAYMENT_GATEWAY", "stripe",
        "TICKETRUSH_STRIPE_API_BASE", sim.baseUrl(),
        "TICKETRUSH_STRIPE_SECRET_KEY", GatewaySimProcess.SECRET_KEY,
        "TICKETRUSH_PAYMENT_TIMEOUT_MS", "5000",
        "TICKETRUSH_COMPLETER_INTERVAL_MS", "250"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
