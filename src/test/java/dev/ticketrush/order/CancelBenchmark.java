package dev.ticketrush.order;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Cancellation throughput on this box, a bounded benchmark (not a test): one node on the test Redis/PostgreSQL
 * with the dev gateway, {@code orders} one-seat orders bought, then every one cancelled once ({@code concurrency}
 * in flight): the deciding transaction, cancel.lua, the refund and CANCELLED each time.
 *
 * <pre>mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.ticketrush.order.CancelBenchmark -Dexec.args="1000 32"</pre>
 */
public final class CancelBenchmark {
  private CancelBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    try (TestNode node = TestNode.start()) {
      Api api = new Api(node);
      int perRow = 50;
      long ev = api.createEvent((orders + perRow - 1) / perRow, perRow, new JsonObject()
          .put("refundableUntil", Instant.now().plus(Duration.ofDays(1)).toString())).getLong("id");
      List<String[]> bought = new ArrayList<>();
      for (int seat = 1; seat <= orders; seat++) {
        String user = api.token("fan-" + seat);
        require(api.hold(ev, user, seat), 201);
        Api.Reply r = require(api.post("/api/events/" + ev + "/orders", user, new JsonObject()
            .put("seats", new JsonArray().add(seat)).put("paymentToken", "tok_ok").encode(),
            Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201);
        bought.add(new String[] {user, r.json().getString("orderId")});
      }
      System.out.printf("%d orders bought; cancelling with %d in flight%n", bought.size(), concurrency);
      Semaphore slots = new Semaphore(concurrency);
      List<CompletableFuture<Api.Reply>> all = new ArrayList<>();
      long start = System.nanoTime();
      for (String[] o : bought) {
        slots.acquire();
        all.add(api.postAsync("/api/orders/" + o[1] + "/cancel", o[0], "", Map.of("Idempotency-Key", "bench"))
            .whenComplete((r, e) -> slots.release()));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
      double seconds = (System.nanoTime() - start) / 1e9;
      long ok = all.stream().filter(f -> f.join().status() == 200).count();
      System.out.printf("%d cancellations in %.2f s = %.0f cancellations/s (%d answered 200 CANCELLED); seats sold now: %d%n",
          bought.size(), seconds, bought.size() / seconds, ok, api.seats(ev).getJsonArray("sold").size());
    }
  }

  private static Api.Reply require(Api.Reply r, int status) {
    if (r.status() != status) {
      throw new IllegalStateException(r.toString());
    }
    return r;
  }
}
