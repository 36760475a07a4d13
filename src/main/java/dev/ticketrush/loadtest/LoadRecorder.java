package dev.ticketrush.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-operation latencies (HdrHistogram, microseconds), answers counted by outcome, and a per-second time
 * series. Recording is wait-free from any event loop ({@link Recorder}); {@link #tick()} runs once a second
 * on one thread, swaps each interval histogram out and folds it into the totals.
 */
public final class LoadRecorder {
  private final long startNs = System.nanoTime();
  private final Map<String, Op> ops = new ConcurrentHashMap<>();
  private final Map<String, LongAdder[]> checks = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final LongAdder requests = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final LongAdder connectionErrors = new LongAdder();
  private long endNs;

  /** One operation ("hold", "order", ...). */
  static final class Op {
    final Recorder interval = new Recorder(3);
    final Histogram total = new Histogram(3);
    final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    final List<JsonObject> series = new ArrayList<>();
    Histogram recycled;
  }

  /**
   * @param outcome "201", "409 seat_unavailable", "conn_error", ...
   * @param status HTTP status, 0 for a transport error
   */
  public void record(String op, int status, String outcome, long latencyNanos) {
    Op o = ops.computeIfAbsent(op, k -> new Op());
    o.interval.recordValue(Math.max(1, latencyNanos / 1000));
    o.outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    requests.increment();
    if (status == 0) {
      connectionErrors.increment();
    } else if (status >= 500) {
      serverErrors.increment();
    }
  }

  /** A latency that is not a request (e.g. WebSocket propagation); no outcome, no request count. */
  public void recordLatency(String op, long latencyNanos) {
    ops.computeIfAbsent(op, k -> new Op()).interval.recordValue(Math.max(1, latencyNanos / 1000));
  }

  /** Counts a contract check; failing checks are listed in the report. */
  public boolean check(String name, boolean passed) {
    checks.computeIfAbsent(name, k -> new LongAdder[] {new LongAdder(), new LongAdder()})[passed ? 0 : 1].increment();
    return passed;
  }

  public void count(String name, long n) {
    counters.computeIfAbsent(name, k -> new LongAdder()).add(n);
  }

  public long counter(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  public long requests() {
    return requests.sum();
  }

  public long serverErrors() {
    return serverErrors.sum();
  }

  public long connectionErrors() {
    return connectionErrors.sum();
  }

  /** Seconds since this recorder was made (or until {@link #finish()}). */
  public double elapsedSeconds() {
    return ((endNs == 0 ? System.nanoTime() : endNs) - startNs) / 1e9;
  }

  /** Moves every interval histogram into the totals and adds one point per operation to the series. */
  public synchronized void tick() {
    double t = (System.nanoTime() - startNs) / 1e9;
    for (Map.Entry<String, Op> e : ops.entrySet()) {
      Op o = e.getValue();
      Histogram h = o.interval.getIntervalHistogram(o.recycled);
      o.recycled = h;
      o.total.add(h);
      if (h.getTotalCount() > 0 || !o.series.isEmpty()) {
        o.series.add(new JsonObject()
            .put("t", Math.round(t * 10) / 10.0)
            .put("count", h.getTotalCount())
            .put("p50Ms", ms(h.getValueAtPercentile(50)))
            .put("p95Ms", ms(h.getValueAtPercentile(95)))
            .put("p99Ms", ms(h.getValueAtPercentile(99)))
            .put("maxMs", ms(h.getMaxValue())));
      }
    }
  }

  public synchronized void finish() {
    tick();
    endNs = System.nanoTime();
  }

  /** Total histogram of one operation (after {@link #finish()}), or null. */
  public synchronized Histogram histogram(String op) {
    Op o = ops.get(op);
    return o == null ? null : o.total.copy();
  }

  public long outcome(String op, String outcome) {
    Op o = ops.get(op);
    LongAdder a = o == null ? null : o.outcomes.get(outcome);
    return a == null ? 0 : a.sum();
  }

  /** Operations, their percentiles, throughput, outcomes and series; checks; failure numbers. */
  public synchronized JsonObject toJson(double seconds) {
    JsonObject operations = new JsonObject();
    JsonObject series = new JsonObject();
    for (Map.Entry<String, Op> e : new TreeMap<>(ops).entrySet()) {
      Op o = e.getValue();
      Histogram h = o.total;
      JsonObject outcomes = new JsonObject();
      new TreeMap<>(o.outcomes).forEach((k, v) -> outcomes.put(k, v.sum()));
      operations.put(e.getKey(), new JsonObject()
          .put("count", h.getTotalCount())
          .put("perSecond", seconds > 0 ? Math.round(h.getTotalCount() / seconds * 10) / 10.0 : 0)
          .put("p50Ms", ms(h.getValueAtPercentile(50)))
          .put("p95Ms", ms(h.getValueAtPercentile(95)))
          .put("p99Ms", ms(h.getValueAtPercentile(99)))
          .put("maxMs", ms(h.getMaxValue()))
          .put("outcomes", outcomes));
      series.put(e.getKey(), new JsonArray(new ArrayList<>(o.series)));
    }
    JsonObject checkJson = new JsonObject();
    new TreeMap<>(checks).forEach((k, v) -> checkJson.put(k, new JsonObject().put("passed", v[0].sum()).put("failed", v[1].sum())));
    JsonObject counterJson = new JsonObject();
    new TreeMap<>(counters).forEach((k, v) -> counterJson.put(k, v.sum()));
    long total = requests.sum();
    long failures = serverErrors.sum() + connectionErrors.sum();
    return new JsonObject()
        .put("requests", total)
        .put("requestsPerSecond", seconds > 0 ? Math.round(total / seconds * 10) / 10.0 : 0)
        .put("serverErrors", serverErrors.sum())
        .put("connectionErrors", connectionErrors.sum())
        .put("failureRate", total == 0 ? 0.0 : (double) failures / total)
        .put("operations", operations)
        .put("checks", checkJson)
        .put("counters", counterJson)
        .put("series", series);
  }

  static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
