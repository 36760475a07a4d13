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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM in the middle of a sale: clients read the seat map, hold seats and buy them (through gateway-sim, so
 * the charges outlive the process) or release them, without pause. The node stops in dependency order: HTTP
 * first (no new connections; requests on open ones answer 503 with Retry-After), in-flight purchases finish,
 * then the rest. No request gets any other 5xx; after a restart every purchase key replays a final answer and
 * the purchase invariant holds.
 */
class GracefulShutdownTest {
  static final int CLIENTS = 6;

  @Test
  void sigtermUnderLoadAnswersOnly503AndLeavesEveryKeyFinal() throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = dev.ticketrush.infra.Database.pool(vertx, TestServices.pgUrl(), 2);
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    Map<String, String[]> keys = new ConcurrentHashMap<>();
    AtomicInteger confirmed = new AtomicInteger();
    AtomicInteger refused503 = new AtomicInteger();
    AtomicInteger noConnection = new AtomicInteger();
    try (GatewaySimProcess sim = GatewaySimProcess.start()) {
      int port = TestNode.freePort();
      Api api = new Api("http://127.0.0.1:" + port);
      Process first = startService(port, sim);
      long ev;
      try {
        ServiceProcess.waitReady(api);
        ev = api.createEvent(4, 100, new JsonObject()).getLong("id");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger seats = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          boolean buyer = c % 2 == 0;
          String token = api.token("term-" + ev + "-" + c);
          Thread t = new Thread(() -> {
            while (running.get()) {
              try {
                int seat = seats.incrementAndGet();
                List<Api.Reply> replies = new ArrayList<>();
                replies.add(api.get("/api/events/" + ev + "/seats", null));
                Api.Reply hold = api.hold(ev, token, seat);
                replies.add(hold);
                if (hold.status() == 201 && buyer) {
                  String key = "term-" + ev + "-" + seat;
                  keys.put(key, new String[] {token, body(seat)});
                  Api.Reply order = api.post("/api/events/" + ev + "/orders", token, body(seat),
                      Map.of("Idempotency-Key", key));
                  replies.add(order);
                  if (order.status() == 201) {
                    confirmed.incrementAndGet();
                  }
                } else if (hold.status() == 201) {
                  replies.add(api.delete("/api/events/" + ev + "/holds/" + seat, token));
                }
                for (Api.Reply r : replies) {
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
          }, "client-" + c);
          clients.add(t);
          t.start();
        }
        long until = System.currentTimeMillis() + 30_000;
        while (confirmed.get() < 10 && System.currentTimeMillis() < until) {
          Thread.sleep(20);
        }
        assertThat(confirmed.get()).as("orders before the SIGTERM").isGreaterThanOrEqualTo(10);
        long termAt = System.nanoTime();
        first.destroy(); // SIGTERM: the shutdown hook closes the node in order
        assertThat(first.waitFor(40, TimeUnit.SECONDS)).as("the node exits by itself").isTrue();
        long stopMs = (System.nanoTime() - termAt) / 1_000_000;
        running.set(false);
        for (Thread t : clients) {
          t.join(60_000);
        }
        System.out.printf("[GracefulShutdownTest] exited %d ms after SIGTERM; %d orders confirmed, %d requests refused "
            + "with 503 + Retry-After, %d found no connection%n", stopMs, confirmed.get(), refused503.get(), noConnection.get());
      } finally {
        first.destroyForcibly();
      }
      assertThat(unexpected).as("5xx other than 503 with Retry-After").isEmpty();

      Process second = startService(port, sim);
      try {
        ServiceProcess.waitReady(api);
        long deadline = System.currentTimeMillis() + 60_000;
        for (Map.Entry<String, String[]> k : keys.entrySet()) {
          Api.Reply r = replay(api, ev, k.getKey(), k.getValue());
          while ((r.status() == 503 || "request_in_progress".equals(r.code())) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            r = replay(api, ev, k.getKey(), k.getValue());
          }
          assertThat(r.status()).as("key %s: %s", k.getKey(), r).isIn(201, 402, 409);
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

  private static String body(int seat) {
    return "{\"seats\":[" + seat + "],\"paymentToken\":\"tok_ok\"}";
  }

  private static Api.Reply replay(Api api, long ev, String key, String[] tokenAndBody) {
    return api.post("/api/events/" + ev + "/orders", tokenAndBody[0], tokenAndBody[1], Map.of("Idempotency-Key", key));
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
