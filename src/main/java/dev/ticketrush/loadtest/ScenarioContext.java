package dev.ticketrush.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * What a running scenario may use (Vert.x, the API client, the client event loops, its share of the bounds)
 * and what it leaves behind for verification: the events it created, the confirmed orders it saw and the
 * users that may have bought something.
 */
public final class ScenarioContext {
  private final Vertx vertx;
  private final ApiClient api;
  private final LoadOptions options;
  private final Context control;
  private final List<Context> loops;
  private final Duration duration;
  private final long maxRequests;
  private final LoadRecorder recorder;
  private final List<Long> events = new CopyOnWriteArrayList<>();
  private final Map<Long, Map<String, OversellCheck.ConfirmedOrder>> confirmed = new ConcurrentHashMap<>();
  private final Set<String> buyers = ConcurrentHashMap.newKeySet();
  private final JsonObject extra = new JsonObject();

  public ScenarioContext(Vertx vertx, ApiClient api, LoadOptions options, Context control, List<Context> loops,
                         Duration duration, long maxRequests, LoadRecorder recorder) {
    this.vertx = vertx;
    this.api = api;
    this.options = options;
    this.control = control;
    this.loops = loops;
    this.duration = duration;
    this.maxRequests = maxRequests;
    this.recorder = recorder;
  }

  public Vertx vertx() {
    return vertx;
  }

  public ApiClient api() {
    return api;
  }

  public LoadOptions options() {
    return options;
  }

  /** An event loop of its own for timing-sensitive work (the WebSocket writer), never shared with request loops. */
  public Context control() {
    return control;
  }

  public List<Context> loops() {
    return loops;
  }

  public Duration duration() {
    return duration;
  }

  public long maxRequests() {
    return maxRequests;
  }

  public LoadRecorder recorder() {
    return recorder;
  }

  public List<Long> events() {
    return events;
  }

  /** Confirmed orders the clients saw for one event, by order id. */
  public Map<String, OversellCheck.ConfirmedOrder> confirmed(long eventId) {
    return confirmed.computeIfAbsent(eventId, k -> new ConcurrentHashMap<>());
  }

  public Set<String> buyers() {
    return buyers;
  }

  /** Scenario-specific results (propagation, phases, server heap) merged into the report. */
  public JsonObject extra() {
    return extra;
  }

  /** Creates a fresh event as a new admin and remembers it for verification. */
  public Future<JsonObject> createEvent(String name, List<Object[]> sections, JsonObject extra) {
    return api.devToken("lt-admin-" + System.nanoTime(), true)
        .compose(admin -> api.createEvent(admin, name, sections, extra))
        .map(e -> {
          events.add(e.getLong("id"));
          return e;
        });
  }

  /** The fixed 10,000-seat layout the seed script also uses: sections A..J, 20 rows of 50 seats. */
  public static List<Object[]> tenThousandSeats() {
    List<Object[]> s = new ArrayList<>();
    for (char c = 'A'; c <= 'J'; c++) {
      s.add(new Object[] {String.valueOf(c), 20, 50});
    }
    return s;
  }

  /** Mints {@code n} user tokens, at most 32 requests at a time. */
  public Future<List<String>> mintUsers(String prefix, int n) {
    String[] tokens = new String[n];
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> chains = new ArrayList<>();
    String run = Long.toString(System.currentTimeMillis(), 36);
    for (int c = 0; c < Math.min(32, n); c++) {
      chains.add(mintChain(prefix + "-" + run + "-", tokens, next));
    }
    return Future.all(chains).map(v -> Collections.unmodifiableList(List.of(tokens)));
  }

  private Future<Void> mintChain(String prefix, String[] tokens, AtomicInteger next) {
    int i = next.getAndIncrement();
    if (i >= tokens.length) {
      return Future.succeededFuture();
    }
    return api.devToken(prefix + i, false).compose(t -> {
      tokens[i] = t;
      return mintChain(prefix, tokens, next);
    });
  }

  /**
   * Runs {@code count} closed request loops spread over the client event loops until the budget ends. Each
   * iteration reserves {@code requestsPerIteration} requests first, so the request bound always holds.
   * Loop {@code i} always runs on the same event loop, so state owned by one loop needs no locking.
   */
  public Future<Void> runLoops(int count, Budget budget, int requestsPerIteration, IntFunction<Future<?>> iteration) {
    List<Future<Void>> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Promise<Void> done = Promise.promise();
      Context ctx = loops.get(i % loops.size());
      int loop = i;
      ctx.runOnContext(v -> step(ctx, loop, budget, requestsPerIteration, iteration, done));
      all.add(done.future());
    }
    return Future.join(all).mapEmpty();
  }

  private void step(Context ctx, int loop, Budget budget, int n, IntFunction<Future<?>> iteration, Promise<Void> done) {
    if (!budget.tryTake(n)) {
      done.complete();
      return;
    }
    Future<?> f;
    try {
      f = iteration.apply(loop);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.failed()) {
        recorder.count("iteration_errors", 1);
      }
      // Always hop through the context: an iteration that finished synchronously must not grow the stack.
      ctx.runOnContext(v -> step(ctx, loop, budget, n, iteration, done));
    });
  }
}
