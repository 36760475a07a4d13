package dev.ticketrush.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the chosen scenarios one after another against one service, verifies each through the API, and
 * writes the report. Everything is bounded: each scenario by its share of the duration and request budget,
 * and the whole run by a watchdog ({@code duration + 2 min}) that gives up waiting and reports what it has.
 */
public final class LoadRun {
  private LoadRun() {
  }

  /** Runs, writes the report folder, and returns the report. Blocks the calling (non-Vert.x) thread. */
  public static JsonObject run(LoadOptions options) throws Exception {
    // One event loop per request shard, plus one for control work (timers, the WebSocket writer) so that a
    // shard saturated by thousands of watchers cannot delay the writer's answers and skew its timestamps.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.threads() + 1));
    try {
      List<Context> contexts = new CopyOnWriteArrayList<>();
      vertx.deployVerticle(() -> new VerticleBase() {
        @Override
        public Future<?> start() {
          contexts.add(context);
          return Future.succeededFuture();
        }
      }, new DeploymentOptions().setInstances(options.threads() + 1)).await(30, TimeUnit.SECONDS);
      Context control = contexts.get(0);
      List<Context> loops = List.copyOf(contexts.subList(1, contexts.size()));
      JsonObject report = new JsonObject()
          .put("tool", "ticket-rush loadtest")
          .put("startedAt", Instant.now().toString())
          .put("command", "java -jar target/ticket-rush.jar loadtest " + String.join(" ", options.commandLine()))
          .put("machine", ReportWriter.machine())
          .put("options", optionsJson(options));
      JsonArray scenarios = new JsonArray();
      report.put("scenarios", scenarios);
      long watchdogMs = options.duration().toMillis() + 120_000;
      long deadline = System.currentTimeMillis() + watchdogMs;
      for (String name : options.scenarios()) {
        long left = deadline - System.currentTimeMillis();
        JsonObject result;
        if (left <= 0) {
          result = new JsonObject().put("name", name).put("error", "skipped: the run's watchdog expired");
        } else {
          result = runScenario(vertx, options, control, loops, Scenario.named(name), left);
        }
        scenarios.add(result);
        System.out.println(ReportWriter.oneLine(result));
      }
      report.put("finishedAt", Instant.now().toString());
      try {
        report.put("loadAverageAtEnd", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
      } catch (java.io.IOException | RuntimeException ignored) {
        // not Linux
      }
      report.put("totals", ReportWriter.totals(scenarios));
      report.put("slos", ReportWriter.slos(report, options));
      ReportWriter.write(options.out(), report);
      return report;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static JsonObject runScenario(Vertx vertx, LoadOptions options, Context control, List<Context> loops,
                                        Scenario scenario, long watchdogMs) {
    LoadRecorder recorder = new LoadRecorder();
    // A client (and connection pool) per scenario, and another one for the verification: whatever a scenario
    // leaves behind in its pool cannot hold up the next scenario or the oversell check.
    ApiClient api = new ApiClient(vertx, options);
    api.recordInto(recorder);
    ScenarioContext ctx = new ScenarioContext(vertx, api, options, control, loops, options.durationPerScenario(),
        options.requestsPerScenario(), recorder);
    long ticker = vertx.setPeriodic(1000, id -> recorder.tick());
    long t0 = System.nanoTime();
    JsonObject result = new JsonObject().put("name", scenario.name());
    try {
      onControl(control, () -> scenario.run(ctx)).await(watchdogMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      vertx.cancelTimer(ticker);
      recorder.finish();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    result.mergeIn(recorder.toJson(seconds)).put("durationSeconds", Math.round(seconds * 10) / 10.0);
    result.mergeIn(ctx.extra());
    org.HdrHistogram.Histogram propagation = recorder.histogram("propagation_from_answer");
    if (result.getJsonObject("propagation") != null && propagation != null) {
      result.getJsonObject("propagation").put("distribution", ReportWriter.distribution(propagation));
    }
    closeQuietly(api);
    // Verification requests are not part of the load: they go to a recorder of their own.
    LoadRecorder verifyRecorder = new LoadRecorder();
    ApiClient checker = new ApiClient(vertx, options);
    checker.recordInto(verifyRecorder);
    try {
      result.put("oversell", onControl(control, () -> verify(ctx, checker)).await(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      result.put("oversell", new JsonObject().put("passed", false).put("oversold", -1)
          .put("problems", new JsonArray().add("verification failed: " + e)));
    }
    closeQuietly(checker);
    verifyRecorder.finish();
    result.put("verificationRequests", verifyRecorder.requests());
    return result;
  }

  /** Runs async work on the control event loop rather than on the calling (main or test) thread. */
  private static <T> Future<T> onControl(Context control, java.util.function.Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    control.runOnContext(v -> {
      try {
        work.get().onComplete(p);
      } catch (RuntimeException e) {
        p.tryFail(e);
      }
    });
    return p.future();
  }

  private static void closeQuietly(ApiClient client) {
    try {
      client.close().await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the pool is gone with Vert.x at the end anyway
    }
  }

  /** For every event the scenario made: the seat map's sold seats against the confirmed orders. */
  static Future<JsonObject> verify(ScenarioContext ctx, ApiClient api) {
    List<Future<JsonObject>> perEvent = new ArrayList<>();
    for (long eventId : ctx.events()) {
      perEvent.add(verifyEvent(ctx, api, eventId));
    }
    return Future.all(perEvent).map(cf -> {
      JsonObject events = new JsonObject();
      int oversold = 0;
      int orders = 0;
      int confirmedSeats = 0;
      int soldSeats = 0;
      boolean passed = true;
      JsonArray problems = new JsonArray();
      for (int i = 0; i < perEvent.size(); i++) {
        JsonObject e = perEvent.get(i).result();
        events.put(String.valueOf(ctx.events().get(i)), e);
        oversold += e.getInteger("oversold");
        orders += e.getInteger("confirmedOrders");
        confirmedSeats += e.getInteger("confirmedSeats");
        soldSeats += e.getInteger("soldSeats");
        passed &= e.getBoolean("passed");
        e.getJsonArray("problems").forEach(p -> problems.add("event " + e.getLong("eventId") + ": " + p));
      }
      return new JsonObject().put("passed", passed).put("oversold", oversold).put("confirmedOrders", orders)
          .put("confirmedSeats", confirmedSeats).put("soldSeats", soldSeats).put("problems", problems).put("events", events);
    });
  }

  private static Future<JsonObject> verifyEvent(ScenarioContext ctx, ApiClient api, long eventId) {
    Map<String, OversellCheck.ConfirmedOrder> tracked = ctx.confirmed(eventId);
    Future<Map<String, OversellCheck.ConfirmedOrder>> fromApi = tracked.isEmpty() && ctx.buyers().isEmpty()
        ? Future.succeededFuture(Map.of())
        : ordersOfBuyers(ctx, api, eventId);
    return api.seats(eventId).compose(map -> fromApi.map(apiOrders -> {
      List<Integer> sold = PaymentRace.intList(map.getJsonArray("sold"));
      Map<String, OversellCheck.ConfirmedOrder> all = new HashMap<>(apiOrders);
      tracked.forEach(all::putIfAbsent);
      OversellCheck.Result r = OversellCheck.check(all.values(), sold);
      List<String> lost = new ArrayList<>();
      for (String id : tracked.keySet()) {
        if (!apiOrders.containsKey(id)) {
          lost.add(id);
        }
      }
      JsonObject json = r.toJson().put("eventId", eventId)
          .put("ordersSeenByClients", tracked.size())
          .put("ordersListedByApi", apiOrders.size())
          .put("heldAtEnd", map.getJsonArray("held", new JsonArray()).size());
      if (!lost.isEmpty() && !ctx.buyers().isEmpty()) {
        json.put("passed", false);
        json.getJsonArray("problems").add(lost.size() + " confirmed order(s) missing from GET /orders/me, e.g. " + lost.get(0));
      }
      return json;
    }));
  }

  /** Every CONFIRMED order of every buyer, from {@code GET /api/events/{id}/orders/me}, 32 requests at a time. */
  private static Future<Map<String, OversellCheck.ConfirmedOrder>> ordersOfBuyers(ScenarioContext ctx, ApiClient api, long eventId) {
    List<String> tokens = new ArrayList<>(ctx.buyers());
    Map<String, OversellCheck.ConfirmedOrder> out = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> chains = new ArrayList<>();
    for (int i = 0; i < Math.min(32, tokens.size()); i++) {
      Promise<Void> p = Promise.promise();
      fetchNext(api, eventId, tokens, next, out, p);
      chains.add(p.future());
    }
    return Future.all(chains).map(v -> out);
  }

  private static void fetchNext(ApiClient api, long eventId, List<String> tokens, AtomicInteger next,
                                Map<String, OversellCheck.ConfirmedOrder> out, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= tokens.size()) {
      done.tryComplete();
      return;
    }
    api.myOrders(eventId, tokens.get(i)).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      for (Object o : ar.result()) {
        JsonObject order = (JsonObject) o;
        if ("CONFIRMED".equals(order.getString("status"))) {
          String id = String.valueOf(order.getValue("orderId"));
          out.put(id, new OversellCheck.ConfirmedOrder(id, PaymentRace.intList(order.getJsonArray("seats"))));
        }
      }
      fetchNext(api, eventId, tokens, next, out, done);
    });
  }

  static JsonObject optionsJson(LoadOptions o) {
    return new JsonObject()
        .put("scenarios", new JsonArray(new ArrayList<>(o.scenarios())))
        .put("baseUrl", o.baseUrl().toString())
        .put("connections", o.connections())
        .put("durationSeconds", o.duration().toMillis() / 1000.0)
        .put("maxRequests", o.maxRequests())
        .put("users", o.users())
        .put("wsClients", o.wsClients())
        .put("changesPerSecond", o.changesPerSecond())
        .put("threads", o.threads())
        .put("pgbenchTps", o.pgbenchTps())
        .put("out", o.out().toString());
  }
}
