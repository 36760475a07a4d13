package dev.ticketrush.ticket;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Check-in throughput on this box, a bounded benchmark (not a test): one node on the test Redis/PostgreSQL,
 * {@code tickets} tickets sold, then every code scanned once (each scan admits: ES256 verify + the conditional
 * UPDATE) and once more (each scan loses: verify + UPDATE + the explaining read), {@code concurrency} in flight.
 *
 * <pre>mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.ticketrush.ticket.CheckInBenchmark -Dexec.args="2000 64"</pre>
 */
public final class CheckInBenchmark {
  private CheckInBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int tickets = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    try (TestNode node = TestNode.start()) {
      Api api = new Api(node);
      int perRow = 50;
      long ev = api.createEvent((tickets + perRow - 1) / perRow, perRow, new JsonObject().put("maxSeatsPerUser", 10))
          .getLong("id");
      List<String> codes = new ArrayList<>();
      for (int first = 1; first <= tickets; first += 10) {
        String user = api.token("fan-" + first);
        JsonArray seats = new JsonArray();
        int[] ids = new int[Math.min(10, tickets - first + 1)];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = first + i;
          seats.add(ids[i]);
        }
        require(api.hold(ev, user, ids), 201);
        require(api.post("/api/events/" + ev + "/orders", user, new JsonObject().put("seats", seats)
            .put("paymentToken", "tok_ok").encode(), Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201);
        api.get("/api/events/" + ev + "/tickets/me", user).json().getJsonArray("tickets")
            .forEach(t -> codes.add(((JsonObject) t).getString("code")));
      }
      String scanner = api.token("door", "scanner");
      System.out.printf("%d tickets sold; scanning with %d in flight%n", codes.size(), concurrency);
      run(api, ev, scanner, codes, concurrency, 200, "first scans (admit)");
      run(api, ev, scanner, codes, concurrency, 409, "repeat scans (already_checked_in)");
    }
  }

  private static void run(Api api, long ev, String scanner, List<String> codes, int concurrency, int expected,
                          String what) throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    List<CompletableFuture<Api.Reply>> all = new ArrayList<>();
    long start = System.nanoTime();
    for (String code : codes) {
      slots.acquire();
      all.add(api.postAsync("/api/events/" + ev + "/checkins", scanner, new JsonObject().put("code", code).encode(),
          Map.of()).whenComplete((r, e) -> slots.release()));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    long ok = all.stream().filter(f -> f.join().status() == expected).count();
    System.out.printf("%s: %d scans in %.2f s = %.0f scans/s (%d answered %d)%n", what, codes.size(), seconds,
        codes.size() / seconds, ok, expected);
  }

  private static void require(Api.Reply r, int status) {
    if (r.status() != status) {
      throw new IllegalStateException(r.toString());
    }
  }
}
