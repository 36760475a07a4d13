package dev.ticketrush.order;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.SilentProxy;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ticketrush.order.PaymentFaultTest.finalAnswer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis or PostgreSQL dies silently in the middle of a sale (no FIN, no RST: a {@link SilentProxy} stops
 * forwarding on every open connection and never closes it). Without deadlines every node would stall until the
 * kernel gives up (about 15 minutes). With them, open connections are retired after the command deadline and
 * the service recovers as soon as its host answers new connections: holds, purchases and watchers resume, no
 * request gets a 5xx other than 503 with Retry-After, every purchase key ends final and the purchase invariant
 * holds. A loud cut (FIN) is measured for comparison. The recovery times are printed, and asserted only against a generous bound that follows from the
 * configured deadlines.
 */
class SilentHostTest {
  static final long REDIS_TIMEOUT_MS = 500;
  static final long PG_TIMEOUT_MS = 1_000;
  /**
   * Recovery bound once the host answers: one command deadline to retire a connection (0.5 s Redis, 1 s
   * PostgreSQL), the change-log tail's read deadline (BLOCK 1 s + the Redis deadline) plus its longest back-off
   * (2 s), the completer's next pass, and this test's probe rounds (a watcher gets 1 s per round): about 6 s.
   * Twenty seconds leave room for a loaded two-core machine.
   */
  static final long RECOVERY_BOUND_MS = 20_000;

  static SilentProxy redisProxy;
  static SilentProxy pgProxy;
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    redisProxy = SilentProxy.inFrontOf(TestServices.redisUrl());
    pgProxy = SilentProxy.inFrontOf(TestServices.pgUrl());
    node = TestNode.start(new JsonObject()
        .put("redisUrl", redisProxy.url(TestServices.redisUrl()))
        .put("pgUrl", pgProxy.url(TestServices.pgUrl()))
        .put("redisCommandTimeoutMs", REDIS_TIMEOUT_MS)
        .put("pgCommandTimeoutMs", PG_TIMEOUT_MS)
        .put("paymentTimeoutMs", 1_000)
        .put("completerIntervalMs", 200)
        .put("reconcileIntervalMs", 500));
    api = new Api(node);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    redisProxy.close();
    pgProxy.close();
  }

  @Test
  void silentRedisMidSale() throws Exception {
    faultMidSale("Redis", redisProxy);
  }

  @Test
  void silentPostgresMidSale() throws Exception {
    faultMidSale("PostgreSQL", pgProxy);
  }

  private void faultMidSale(String host, SilentProxy proxy) throws Exception {
    long ev = api.createEvent(20, 50, new JsonObject().put("maxSeatsPerUser", 50)).getLong("id");
    Sale sale = new Sale(ev);
    try (Watcher watcher = new Watcher(ev)) {
      sale.start(3);
      sale.awaitOrders(5, 20_000);

      // 1. Every open connection goes silent; the host answers new connections (its sockets were lost).
      long silentAt = System.nanoTime();
      proxy.silence(false);
      long recovered = recover(sale, watcher, silentAt);
      System.out.printf("[silent host] %s silent, new connections fine: service recovered in %d ms%n", host, recovered);
      assertThat(recovered).isLessThan(RECOVERY_BOUND_MS);

      // 2. The host is gone for a while (new connections fail too), then answers again.
      proxy.silence(true);
      long downAt = System.nanoTime();
      Api.Reply during = api.hold(ev, sale.probeUser(), sale.nextSeat());
      long answeredInMs = (System.nanoTime() - downAt) / 1_000_000;
      System.out.printf("[silent host] %s down: a hold was answered %d in %d ms%n", host, during.status(), answeredInMs);
      assertThat(during.status()).as(during.toString()).isIn(201, 503);
      Thread.sleep(2_000); // the outage lasts a while: requests fail fast meanwhile (the sale goes on)
      long answerAt = System.nanoTime();
      proxy.answer();
      long back = recover(sale, watcher, answerAt);
      System.out.printf("[silent host] %s down 2 s then back: service recovered %d ms after it answered%n", host, back);
      assertThat(back).isLessThan(RECOVERY_BOUND_MS);

      // 3. A loud cut, for comparison: every open connection is closed at once (FIN), as when the process dies.
      long cutAt = System.nanoTime();
      proxy.cut();
      long afterCut = recover(sale, watcher, cutAt);
      System.out.printf("[silent host] %s connections cut (FIN): service recovered in %d ms%n", host, afterCut);
      assertThat(afterCut).isLessThan(RECOVERY_BOUND_MS);
      sale.awaitOrders(sale.confirmed.get() + 3, 20_000);
    } finally {
      sale.stop();
    }

    assertThat(sale.unexpected).as("5xx other than 503, or 503 without Retry-After").isEmpty();
    for (Map.Entry<String, String> key : sale.keys.entrySet()) {
      String[] userAndBody = key.getValue().split("\n", 2);
      Api.Reply last = finalAnswer(() -> api.post("/api/events/" + ev + "/orders", userAndBody[0], userAndBody[1],
          Map.of("Idempotency-Key", key.getKey())), 30_000);
      assertThat(last.status()).as("key %s: %s", key.getKey(), last).isLessThan(500);
      assertThat(last.code()).as("key %s", key.getKey()).isNotEqualTo("request_in_progress");
    }
    PurchaseInvariant.check(node.app().pool(), api, ev,
        PurchaseInvariant.ledger((dev.ticketrush.payment.FakePaymentGateway) node.app().payments()));
  }

  /** Polls until a new hold, a purchase and a watcher's patch all succeed; the milliseconds since {@code from}. */
  private long recover(Sale sale, Watcher watcher, long from) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60_000);
    while (System.nanoTime() < deadline) {
      if (sale.probe(watcher)) {
        return (System.nanoTime() - from) / 1_000_000;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the service did not recover within 60 s");
  }

  /** Buyers holding a seat and buying it, in a loop, each with a fresh Idempotency-Key. */
  private static final class Sale {
    final long ev;
    final AtomicInteger seats = new AtomicInteger();
    final AtomicInteger confirmed = new AtomicInteger();
    final AtomicBoolean running = new AtomicBoolean(true);
    final Map<String, String> keys = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final List<Thread> buyers = new ArrayList<>();

    Sale(long ev) {
      this.ev = ev;
    }

    String probeUser() {
      return api.token("prober-" + ev + "-" + System.nanoTime());
    }

    int nextSeat() {
      return seats.incrementAndGet();
    }

    void start(int n) {
      for (int i = 0; i < n; i++) {
        String user = api.token("buyer-" + ev + "-" + i);
        Thread t = new Thread(() -> buyLoop(user), "buyer-" + i);
        buyers.add(t);
        t.start();
      }
    }

    void buyLoop(String user) {
      while (running.get()) {
        int seat = nextSeat();
        if (seat > 1_000) {
          return;
        }
        try {
          Api.Reply hold = note(api.hold(ev, user, seat));
          if (hold.status() != 201) {
            pause();
            continue;
          }
          String key = "silent-" + ev + "-" + seat;
          String body = PaymentFaultTest.order("tok_ok", seat);
          keys.put(key, user + "\n" + body);
          Api.Reply order = note(api.post("/api/events/" + ev + "/orders", user, body, Map.of("Idempotency-Key", key)));
          if (order.status() == 201) {
            confirmed.incrementAndGet();
          }
        } catch (RuntimeException e) {
          unexpected.add("no answer: " + e);
        }
      }
    }

    Api.Reply note(Api.Reply r) {
      if (r.status() >= 500 && (r.status() != 503 || r.header("Retry-After") == null)) {
        unexpected.add(r.toString());
      }
      return r;
    }

    /** One hold and one purchase by the prober, and the hold seen by the watcher. */
    boolean probe(Watcher watcher) {
      int seat = nextSeat();
      String prober = probeUser();
      Api.Reply hold = note(api.hold(ev, prober, seat));
      if (hold.status() != 201) {
        return false;
      }
      String key = "probe-" + ev + "-" + seat;
      String body = PaymentFaultTest.order("tok_ok", seat);
      keys.put(key, prober + "\n" + body);
      Api.Reply order = note(api.post("/api/events/" + ev + "/orders", prober, body, Map.of("Idempotency-Key", key)));
      return order.status() == 201 && watcher.saw(seat, 1_000);
    }

    void awaitOrders(int n, long withinMs) throws InterruptedException {
      long deadline = System.currentTimeMillis() + withinMs;
      while (confirmed.get() < n && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(confirmed.get()).as("confirmed orders").isGreaterThanOrEqualTo(n);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : buyers) {
        t.join(60_000);
      }
    }

    private static void pause() {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A seat-map watcher over WebSocket that notes every seat its patches mention; reconnects when closed. */
  private static final class Watcher implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final long ev;
    final Set<Integer> seen = ConcurrentHashMap.newKeySet();
    final AtomicBoolean open = new AtomicBoolean();
    WebSocket socket;

    Watcher(long ev) {
      this.ev = ev;
      connect();
    }

    void connect() {
      StringBuilder partial = new StringBuilder();
      WebSocket.Listener listener = new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          partial.append(data);
          if (last) {
            JsonObject f = new JsonObject(partial.toString());
            partial.setLength(0);
            if ("patch".equals(f.getString("type"))) {
              f.getJsonArray("changes").forEach(c -> seen.add(((JsonObject) c).getInteger("seat")));
            }
          }
          ws.request(1);
          return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
          open.set(false);
          return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
          open.set(false);
        }
      };
      socket = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + node.port() + "/ws/events/" + ev),
          listener).orTimeout(10, TimeUnit.SECONDS).join();
      open.set(true);
    }

    boolean saw(int seat, long withinMs) {
      if (!open.get()) {
        connect();
      }
      long deadline = System.currentTimeMillis() + withinMs;
      while (!seen.contains(seat) && System.currentTimeMillis() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return seen.contains(seat);
    }

    @Override
    public void close() {
      socket.abort();
    }
  }
}
