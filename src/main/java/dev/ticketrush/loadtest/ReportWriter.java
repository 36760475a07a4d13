package dev.ticketrush.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report folder: {@code report.json} (everything, machine-readable), {@code report.md} (the same as tables,
 * each SLO marked met / missed / not measured) and hand-written SVG charts.
 */
public final class ReportWriter {
  static final double HOLD_RPS_TARGET = 20_000;
  static final double HOLD_P99_TARGET_MS = 25;
  static final double PROPAGATION_P99_TARGET_MS = 100;
  static final int WS_CLIENTS_TARGET = 5_000;
  static final int WS_CHANGES_TARGET = 500;
  static final int HEAP_CLIENTS_TARGET = 10_000;
  static final long HEAP_TARGET_BYTES = 512L * 1024 * 1024;
  /** Upper bounds (ms) of the propagation histogram's bars; the last bar is everything above. */
  static final double[] PROPAGATION_BUCKETS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

  private ReportWriter() {
  }

  public static JsonObject machine() {
    JsonObject m = new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("javaVersion", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")")
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .put("loadToolMaxHeapBytes", Runtime.getRuntime().maxMemory());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      m.put("memoryBytes", os.getTotalMemorySize());
    }
    try {
      m.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
          break;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: the CPU model is optional
    }
    return m;
  }

  /** Buckets of a latency histogram for the distribution chart. */
  static JsonArray distribution(Histogram h) {
    long[] counts = new long[PROPAGATION_BUCKETS_MS.length + 1];
    for (org.HdrHistogram.HistogramIterationValue v : h.recordedValues()) {
      double ms = h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0;
      int b = 0;
      while (b < PROPAGATION_BUCKETS_MS.length && ms > PROPAGATION_BUCKETS_MS[b]) {
        b++;
      }
      counts[b] += v.getCountAtValueIteratedTo();
    }
    JsonArray a = new JsonArray();
    for (int i = 0; i < counts.length; i++) {
      a.add(new JsonObject().put("leMs", i < PROPAGATION_BUCKETS_MS.length ? PROPAGATION_BUCKETS_MS[i] : "+Inf").put("count", counts[i]));
    }
    return a;
  }

  static String oneLine(JsonObject s) {
    if (s.containsKey("error") && !s.containsKey("requests")) {
      return s.getString("name") + ": " + s.getString("error");
    }
    JsonObject over = s.getJsonObject("oversell", new JsonObject());
    return String.format(Locale.ROOT, "%s: %d requests in %.1f s (%.0f req/s), failure rate %.4f%%, server errors %d, oversold %s%s",
        s.getString("name"), s.getLong("requests", 0L), s.getDouble("durationSeconds", 0.0), s.getDouble("requestsPerSecond", 0.0),
        100 * s.getDouble("failureRate", 0.0), s.getLong("serverErrors", 0L), over.getValue("oversold"),
        s.containsKey("error") ? " (" + s.getString("error") + ")" : "");
  }

  static JsonObject totals(JsonArray scenarios) {
    long requests = 0;
    long server = 0;
    long conn = 0;
    long oversold = 0;
    boolean oversellPassed = true;
    long failedChecks = 0;
    for (Object o : scenarios) {
      JsonObject s = (JsonObject) o;
      requests += s.getLong("requests", 0L);
      server += s.getLong("serverErrors", 0L);
      conn += s.getLong("connectionErrors", 0L);
      JsonObject over = s.getJsonObject("oversell", new JsonObject().put("passed", false).put("oversold", 0));
      oversold += Math.max(0, over.getInteger("oversold", 0));
      oversellPassed &= over.getBoolean("passed", false);
      for (Map.Entry<String, Object> c : s.getJsonObject("checks", new JsonObject())) {
        failedChecks += ((JsonObject) c.getValue()).getLong("failed", 0L);
      }
    }
    return new JsonObject().put("requests", requests).put("serverErrors", server).put("connectionErrors", conn)
        .put("failureRate", requests == 0 ? 0.0 : (double) (server + conn) / requests)
        .put("oversold", oversold).put("oversellCheckPassed", oversellPassed).put("failedChecks", failedChecks);
  }

  static JsonObject scenario(JsonObject report, String name) {
    for (Object o : report.getJsonArray("scenarios")) {
      if (name.equals(((JsonObject) o).getString("name"))) {
        return (JsonObject) o;
      }
    }
    return null;
  }

  static JsonObject op(JsonObject scenario, String op) {
    return scenario == null ? null : scenario.getJsonObject("operations", new JsonObject()).getJsonObject(op);
  }

  private static JsonObject slo(String name, String target, String measured, String status, String why) {
    return new JsonObject().put("name", name).put("target", target).put("measured", measured).put("status", status).put("why", why);
  }

  /** Each SLO of the performance issue, judged from this run: met, missed, or not measured (and why). */
  static JsonArray slos(JsonObject report, LoadOptions options) {
    JsonArray out = new JsonArray();
    JsonObject race = scenario(report, "hold-race");
    JsonObject hold = op(race, "hold");
    JsonObject release = op(race, "release");
    if (hold == null) {
      out.add(slo("Hold throughput", "≥ 20,000 req/s at 256 connections", "-", "not measured", "hold-race did not run"));
      out.add(slo("Hold latency", "p99 ≤ 25 ms", "-", "not measured", "hold-race did not run"));
    } else {
      double secs = race.getJsonObject("phaseSeconds", new JsonObject()).getDouble("spread", race.getDouble("durationSeconds"));
      double holdRps = hold.getLong("count") / secs;
      double pathRps = (hold.getLong("count") + (release == null ? 0 : release.getLong("count"))) / secs;
      boolean at256 = options.connections() == 256;
      out.add(slo("Hold throughput", "≥ 20,000 req/s at 256 connections",
          String.format(Locale.ROOT, "%.0f hold-endpoint req/s (POST %.0f + DELETE %.0f) at %d connections",
              pathRps, holdRps, pathRps - holdRps, options.connections()),
          pathRps >= HOLD_RPS_TARGET ? (at256 ? "met" : "met (other connection count)") : "missed",
          "spread phase of hold-race; POST and DELETE /holds both run one Lua script on the same path"));
      double p99 = hold.getDouble("p99Ms");
      out.add(slo("Hold latency", "p99 ≤ 25 ms", String.format(Locale.ROOT, "p99 %.2f ms (p50 %.2f, max %.2f)", p99,
          hold.getDouble("p50Ms"), hold.getDouble("maxMs")), p99 <= HOLD_P99_TARGET_MS ? "met" : "missed",
          "POST /holds, spread phase, closed loop at " + options.connections() + " connections"));
    }

    JsonObject ws = scenario(report, "ws-propagation");
    JsonObject prop = op(ws, "propagation_from_answer");
    if (ws == null || prop == null) {
      out.add(slo("WebSocket propagation", "5,000 clients, 500 changes/s, p99 ≤ 100 ms, 0 missed", "-", "not measured",
          ws == null ? "ws-propagation did not run" : "no change was delivered (is the WebSocket endpoint live?)"));
    } else {
      JsonObject p = ws.getJsonObject("propagation");
      int clients = ws.getInteger("watchersConnected", 0);
      double rate = p.getLong("changesMade") / Math.max(0.1, ws.getDouble("writeSeconds", 1.0));
      double p99 = prop.getDouble("p99Ms");
      long missed = p.getLong("missedDeliveries");
      long gaps = p.getLong("versionGaps");
      boolean ok = p99 <= PROPAGATION_P99_TARGET_MS && missed == 0 && gaps == 0;
      boolean atScale = clients >= WS_CLIENTS_TARGET && rate >= WS_CHANGES_TARGET * 0.95;
      out.add(slo("WebSocket propagation", "5,000 clients, 500 changes/s, p99 ≤ 100 ms, 0 missed",
          String.format(Locale.ROOT, "%d clients, %.0f changes/s, p99 %.1f ms (from the 201/204), missed %d, version gaps %d",
              clients, rate, p99, missed, gaps),
          !ok ? "missed" : atScale ? "met" : "not measured",
          atScale ? "every watcher × every change" : "load below the target scale (" + clients + " clients, "
              + Math.round(rate) + " changes/s); numbers shown are for that load"));
    }

    JsonObject pay = scenario(report, "payment-race");
    JsonObject order = op(pay, "order");
    if (order == null) {
      out.add(slo("Order throughput", "≥ 50% of pgbench single-row INSERT tps", "-", "not measured", "payment-race did not run"));
    } else {
      long confirmed = pay.getJsonObject("oversell", new JsonObject()).getInteger("confirmedOrders", 0);
      double ordersPerSec = confirmed / pay.getDouble("durationSeconds");
      double orderPath = order.getDouble("perSecond");
      double pg = options.pgbenchTps();
      String measured = String.format(Locale.ROOT, "%.0f confirmed orders/s (%.0f POST /orders req/s incl. twins), p99 %.1f ms%s",
          ordersPerSec, orderPath, order.getDouble("p99Ms"), pg > 0 ? String.format(Locale.ROOT, "; pgbench %.0f tps", pg) : "");
      out.add(slo("Order throughput", "≥ 50% of pgbench single-row INSERT tps", measured,
          pg <= 0 ? "not measured" : ordersPerSec >= pg / 2 ? "met" : "missed",
          pg <= 0 ? "pass --pgbench-tps to judge it" : String.format(Locale.ROOT, "%.0f%% of pgbench; the payment-race mixes holds, "
              + "replays and duplicates, so it is a lower bound of the order path", 100 * ordersPerSec / pg)));
    }

    JsonObject t = report.getJsonObject("totals");
    boolean safe = t.getLong("oversold") == 0 && t.getBoolean("oversellCheckPassed") && t.getLong("serverErrors") == 0;
    out.add(slo("Correctness", "oversell = 0 and 0 server errors",
        String.format(Locale.ROOT, "oversold %d, verification %s, server errors %d, connection errors %d",
            t.getLong("oversold"), t.getBoolean("oversellCheckPassed") ? "passed" : "FAILED", t.getLong("serverErrors"),
            t.getLong("connectionErrors")),
        safe ? "met" : "missed", "sold seats in /seats compared with every confirmed order (OversellCheck)"));

    if (ws == null || ws.getLong("serverHeapUsedMaxBytes", -1L) < 0) {
      out.add(slo("Heap", "< 512 MB at 10,000 WebSocket clients", "-", "not measured",
          "needs ws-propagation and jvm_memory_used_bytes in /metrics"));
    } else {
      long heap = ws.getLong("serverHeapUsedMaxBytes");
      long live = ws.getLong("serverHeapLiveMaxBytes", -1L);
      int clients = ws.getInteger("watchersConnected", 0);
      // Used heap includes garbage not yet collected (it grows toward -Xmx by design); the live set after the
      // last major GC is what must fit, when the JVM has had one.
      long judged = live > 0 ? live : heap;
      out.add(slo("Heap", "< 512 MB at 10,000 WebSocket clients",
          String.format(Locale.ROOT, "%s; %d MB used at most (incl. garbage) at %d clients",
              live > 0 ? (live >> 20) + " MB live after GC" : "no major GC during the run", heap >> 20, clients),
          judged >= HEAP_TARGET_BYTES ? "missed" : clients >= HEAP_CLIENTS_TARGET ? "met" : "not measured",
          (clients >= HEAP_CLIENTS_TARGET ? "" : "fewer clients than the target; ")
              + "sampled from /metrics every 5 s (jvm_gc_live_data_size_bytes, jvm_memory_used_bytes); "
              + "run the service with -Xmx512m to prove it"));
    }
    return out;
  }

  public static void write(Path dir, JsonObject report) throws IOException {
    Files.createDirectories(dir);
    List<String> charts = charts(dir, report);
    report.put("charts", new JsonArray(new ArrayList<>(charts)));
    Files.writeString(dir.resolve("report.json"), report.encodePrettily() + "\n");
    Files.writeString(dir.resolve("report.md"), markdown(report));
  }

  static List<String> charts(Path dir, JsonObject report) throws IOException {
    List<String> files = new ArrayList<>();
    for (Object o : report.getJsonArray("scenarios")) {
      JsonObject s = (JsonObject) o;
      JsonObject series = s.getJsonObject("series");
      if (series == null) {
        continue;
      }
      String main = switch (s.getString("name")) {
        case "payment-race" -> "order";
        default -> "hold";
      };
      JsonArray points = new JsonArray();
      // Seconds without a single answer have no percentiles: leave a gap rather than draw a false zero.
      series.getJsonArray(main, new JsonArray()).forEach(pt -> {
        if (((JsonObject) pt).getLong("count") > 0) {
          points.add(pt);
        }
      });
      if (!points.isEmpty()) {
        List<SvgChart.Series> lines = new ArrayList<>();
        for (String p : List.of("p50Ms", "p95Ms", "p99Ms", "maxMs")) {
          lines.add(new SvgChart.Series(p.replace("Ms", ""), xs(points), ys(points, p)));
        }
        String name = "latency-" + s.getString("name") + ".svg";
        Files.writeString(dir.resolve(name), SvgChart.lineChart(s.getString("name") + ": " + main + " latency per second",
            "seconds since start", "ms", lines));
        files.add(name);
      }
      List<SvgChart.Series> rates = new ArrayList<>();
      for (String op : series.fieldNames()) {
        JsonArray pts = series.getJsonArray(op);
        if (!op.startsWith("propagation") && pts.size() > 0) {
          rates.add(new SvgChart.Series(op, xs(pts), ys(pts, "count")));
        }
      }
      if (!rates.isEmpty()) {
        String name = "throughput-" + s.getString("name") + ".svg";
        Files.writeString(dir.resolve(name), SvgChart.lineChart(s.getString("name") + ": requests per second",
            "seconds since start", "requests/s", rates));
        files.add(name);
      }
      JsonObject prop = s.getJsonObject("propagation");
      if (prop != null && prop.getJsonArray("distribution") != null) {
        List<String> labels = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        double prev = 0;
        for (Object b : prop.getJsonArray("distribution")) {
          JsonObject bucket = (JsonObject) b;
          Object le = bucket.getValue("leMs");
          labels.add(le instanceof Number n ? fmt(prev) + "–" + fmt(n.doubleValue()) : ">" + fmt(prev));
          if (le instanceof Number n) {
            prev = n.doubleValue();
          }
          counts.add(bucket.getLong("count"));
        }
        String name = "propagation.svg";
        Files.writeString(dir.resolve(name), SvgChart.barChart(
            "WebSocket propagation delay (201/204 answer → patch at each watcher)", "delay (ms)", "deliveries", labels, counts));
        files.add(name);
      }
    }
    return files;
  }

  private static double[] xs(JsonArray points) {
    double[] x = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.getJsonObject(i).getDouble("t");
    }
    return x;
  }

  private static double[] ys(JsonArray points, String field) {
    double[] y = new double[points.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = points.getJsonObject(i).getDouble(field);
    }
    return y;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static String markdown(JsonObject r) {
    StringBuilder md = new StringBuilder();
    md.append("# Ticket Rush load report\n\n");
    md.append("- Command: `").append(r.getString("command")).append("`\n");
    md.append("- Started: ").append(r.getString("startedAt")).append(", finished: ").append(r.getString("finishedAt")).append("\n\n");
    JsonObject m = r.getJsonObject("machine");
    md.append("## Machine\n\n| cores | memory | Java | OS | CPU |\n|---|---|---|---|---|\n");
    md.append("| ").append(m.getValue("cores")).append(" | ").append(m.getLong("memoryBytes", 0L) >> 20).append(" MB | ")
        .append(m.getString("javaVersion")).append(" | ").append(m.getString("os")).append(" | ").append(m.getString("cpu", "?"))
        .append(" |\n\nThe load tool and the service share this machine. Load average at start (1/5/15 min): `")
        .append(m.getString("loadAverageAtStart", "?")).append("`, at the end: `").append(r.getString("loadAverageAtEnd", "?")).append("`.\n\n");

    md.append("## SLOs\n\n| SLO | target | measured | status | why |\n|---|---|---|---|---|\n");
    for (Object o : r.getJsonArray("slos")) {
      JsonObject s = (JsonObject) o;
      String st = s.getString("status");
      md.append("| ").append(s.getString("name")).append(" | ").append(s.getString("target")).append(" | ")
          .append(s.getString("measured")).append(" | **").append(st).append("** | ").append(s.getString("why")).append(" |\n");
    }
    JsonObject t = r.getJsonObject("totals");
    md.append(String.format(Locale.ROOT, "%n## Totals%n%n| requests | server errors (5xx) | connection errors | failure rate | oversold seats | verification | failed checks |%n"
            + "|---|---|---|---|---|---|---|%n| %d | %d | %d | %.4f%% | %d | %s | %d |%n",
        t.getLong("requests"), t.getLong("serverErrors"), t.getLong("connectionErrors"), 100 * t.getDouble("failureRate"),
        t.getLong("oversold"), t.getBoolean("oversellCheckPassed") ? "passed" : "FAILED", t.getLong("failedChecks")));

    for (Object o : r.getJsonArray("scenarios")) {
      JsonObject s = (JsonObject) o;
      md.append("\n## Scenario `").append(s.getString("name")).append("`\n\n");
      if (s.containsKey("error")) {
        md.append("**Error:** ").append(s.getString("error")).append("\n\n");
      }
      if (!s.containsKey("requests")) {
        continue;
      }
      md.append(String.format(Locale.ROOT, "%d requests in %.1f s = %.0f req/s; failure rate %.4f%% (%d server errors, %d connection errors).",
          s.getLong("requests"), s.getDouble("durationSeconds"), s.getDouble("requestsPerSecond"), 100 * s.getDouble("failureRate"),
          s.getLong("serverErrors"), s.getLong("connectionErrors")));
      if (s.containsKey("events")) {
        md.append(" Events: `").append(s.getJsonObject("events").encode()).append("`.");
      }
      if (s.containsKey("phaseSeconds")) {
        md.append(" Phases (s): `").append(s.getJsonObject("phaseSeconds").encode()).append("`.");
      }
      md.append("\n\n| operation | count | req/s | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|\n");
      JsonObject ops = s.getJsonObject("operations");
      for (String name : ops.fieldNames()) {
        JsonObject op = ops.getJsonObject(name);
        boolean latencyOnly = name.startsWith("propagation");
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %.2f | %.2f | %.2f |%n", name, op.getLong("count"),
            latencyOnly ? "-" : String.format(Locale.ROOT, "%.0f", op.getDouble("perSecond")),
            op.getDouble("p50Ms"), op.getDouble("p95Ms"), op.getDouble("p99Ms"), op.getDouble("maxMs")));
      }
      md.append("\n| operation | outcome | count |\n|---|---|---|\n");
      for (String name : ops.fieldNames()) {
        JsonObject outcomes = ops.getJsonObject(name).getJsonObject("outcomes");
        for (String k : outcomes.fieldNames()) {
          md.append("| ").append(name).append(" | ").append(k).append(" | ").append(outcomes.getLong(k)).append(" |\n");
        }
      }
      JsonObject checks = s.getJsonObject("checks");
      if (!checks.isEmpty()) {
        md.append("\n| check | passed | failed |\n|---|---|---|\n");
        for (String k : checks.fieldNames()) {
          JsonObject c = checks.getJsonObject(k);
          md.append("| ").append(k).append(" | ").append(c.getLong("passed")).append(" | ")
              .append(c.getLong("failed") > 0 ? "**" + c.getLong("failed") + "**" : "0").append(" |\n");
        }
      }
      JsonObject counters = s.getJsonObject("counters");
      if (counters != null && !counters.isEmpty()) {
        md.append("\nCounters: `").append(counters.encode()).append("`\n");
      }
      JsonObject p = s.getJsonObject("propagation");
      if (p != null) {
        md.append(String.format(Locale.ROOT, "%nWebSocket: %d/%d watchers connected in %.1f s; %d changes in %.1f s (%.0f/s, %d requested); "
                + "%d of %d deliveries seen, **%d missed** (not seen within 5 s), %d late, %d version gaps, %d ws errors, "
                + "%d patches received, %d patches arrived before the writer's answer; server heap max %s.%n",
            s.getInteger("watchersConnected", 0), s.getInteger("watchersRequested", 0), s.getDouble("connectSeconds", 0.0),
            p.getLong("changesMade"), s.getDouble("writeSeconds", 0.0),
            p.getLong("changesMade") / Math.max(0.1, s.getDouble("writeSeconds", 1.0)), s.getInteger("changesPerSecondRequested", 0),
            p.getLong("delivered"), p.getLong("deliveriesExpected"), p.getLong("missedDeliveries"), p.getLong("lateDeliveries"),
            p.getLong("versionGaps"), p.getLong("wsErrors"), p.getLong("patchesReceived"), p.getLong("patchBeforeAnswer"),
            s.getLong("serverHeapUsedMaxBytes", -1L) < 0 ? "not available" : (s.getLong("serverHeapUsedMaxBytes") >> 20) + " MB"));
        md.append("Propagation is measured for every watcher and every change: `propagation_from_answer` starts when the writer "
            + "got its 201/204, `propagation_from_send` when it sent the request.\n");
      }
      JsonObject fair = s.getJsonObject("fairness");
      if (fair != null) {
        JsonObject d = fair.getJsonObject("displacement", new JsonObject());
        md.append(String.format(Locale.ROOT, "%nWaiting-room fairness: %d users (%d in the pre-queue draw), proof of work %d bits; "
                + "draw recomputed from GET /queue/draw: **%s**. Served place against the draw (pre-queue) or arrival "
                + "(later), %d users measured: mean displacement %.2f places, max %d, %.1f%% out of place.%n",
            fair.getInteger("users", 0), fair.getInteger("preQueue", 0), fair.getInteger("difficultyBits", 0),
            fair.getBoolean("drawVerified", false) ? "verified" : "NOT verified", d.getInteger("measured", 0),
            d.getDouble("mean", 0.0), d.getInteger("max", 0), 100 * d.getDouble("shareOutOfPlace", 0.0)));
        JsonObject refused = fair.getJsonObject("refused", new JsonObject());
        md.append("\n| queue requests refused | count | share of ").append(fair.getLong("queueRequests", 0L))
            .append(" |\n|---|---|---|\n");
        for (String k : refused.fieldNames()) {
          JsonObject c = refused.getJsonObject(k);
          md.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% |%n", k, c.getLong("count"), 100 * c.getDouble("share")));
        }
      }
      JsonObject over = s.getJsonObject("oversell");
      if (over != null) {
        md.append("\nOversell verification: **").append(over.getBoolean("passed") ? "passed" : "FAILED").append("**, oversold seats ")
            .append(over.getValue("oversold")).append(".");
        JsonObject evs = over.getJsonObject("events", new JsonObject());
        for (String id : evs.fieldNames()) {
          JsonObject e = evs.getJsonObject(id);
          md.append(String.format(Locale.ROOT, " Event %s: %d confirmed orders (%d seen by clients, %d listed by the API) with %d seats; %d seats sold in /seats; %d held at the end.",
              id, e.getInteger("confirmedOrders"), e.getInteger("ordersSeenByClients"), e.getInteger("ordersListedByApi"),
              e.getInteger("confirmedSeats"), e.getInteger("soldSeats"), e.getInteger("heldAtEnd")));
        }
        for (Object prob : over.getJsonArray("problems", new JsonArray())) {
          md.append("\n- ").append(prob);
        }
        md.append("\n");
      }
    }
    JsonArray charts = r.getJsonArray("charts", new JsonArray());
    if (!charts.isEmpty()) {
      md.append("\n## Charts\n\n");
      for (Object c : charts) {
        md.append("![").append(c).append("](").append(c).append(")\n\n");
      }
    }
    return md.toString();
  }
}
