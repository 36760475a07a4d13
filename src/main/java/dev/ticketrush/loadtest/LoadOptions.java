package dev.ticketrush.loadtest;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one load run does, parsed from the command line. Every run is bounded twice: by {@code duration}
 * and by {@code maxRequests}; with {@code --scenario all} each scenario gets an equal share of both.
 */
public record LoadOptions(
    List<String> scenarios,
    URI baseUrl,
    int connections,
    Duration duration,
    long maxRequests,
    int users,
    int wsClients,
    int changesPerSecond,
    Path out,
    boolean allowRemote,
    int threads,
    double pgbenchTps,
    List<String> commandLine) {

  public static final List<String> ALL = List.of("hold-race", "payment-race", "seat-change", "ws-propagation");
  /** Scenarios run only when named: {@code queue} (waiting-room fairness) follows its own clock, not the budget. */
  public static final List<String> NAMED_ONLY = List.of("queue");

  public static final String USAGE = """
      usage: java -jar target/ticket-rush.jar loadtest [options]
        --scenario hold-race|payment-race|seat-change|ws-propagation|all|queue   (default hold-race; a comma list works too;
                                  queue = waiting-room fairness report, only when named)
        --base-url URL            service to load (default http://127.0.0.1:8080); loopback only
        --connections N           concurrent HTTP requests in flight = pooled connections (default 256)
        --duration D              wall-clock bound of the whole run, e.g. 30s, 1m, 500ms (default 30s, at most 10m)
        --max-requests N          request bound of the whole run (default 2,000,000)
        --users N                 distinct users (dev tokens) per scenario (default = connections)
        --ws-clients N            WebSocket watchers for ws-propagation (default 1000)
        --changes-per-second N    seat changes the ws-propagation writer makes per second (default 200)
        --out DIR                 report folder (default reports/<timestamp>)
        --threads N               client event loops (default min(2, cores))
        --pgbench-tps X           pgbench single-row INSERT throughput on the same PostgreSQL, to judge the orders SLO
        --allow-remote            permit a base URL that is not loopback (policy: load only on loopback)
      java -jar target/ticket-rush.jar loadtest --render DIR   re-draws DIR/report.md and charts from DIR/report.json
      The service should run with dev tokens on and TICKETRUSH_RATE_LIMIT_USER=0 TICKETRUSH_RATE_LIMIT_IP=0.
      """;

  public static LoadOptions parse(String... args) {
    List<String> scenarios = List.of("hold-race");
    String base = "http://127.0.0.1:8080";
    int connections = 256;
    Duration duration = Duration.ofSeconds(30);
    long maxRequests = 2_000_000;
    Integer users = null;
    int wsClients = 1000;
    int changes = 200;
    Path out = null;
    boolean allowRemote = false;
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    double pgbench = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        v = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      if (a.equals("--allow-remote")) {
        allowRemote = true;
        continue;
      }
      if (a.equals("--help") || a.equals("-h")) {
        throw new IllegalArgumentException("help");
      }
      if (v == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        v = args[++i];
      }
      switch (a) {
        case "--scenario" -> scenarios = scenarioList(v);
        case "--base-url" -> base = v;
        case "--connections" -> connections = (int) positive(a, v, 1, 100_000);
        case "--duration" -> duration = parseDuration(v);
        case "--max-requests" -> maxRequests = positive(a, v, 1, Long.MAX_VALUE);
        case "--users" -> users = (int) positive(a, v, 1, 1_000_000);
        case "--ws-clients" -> wsClients = (int) positive(a, v, 1, 60_000);
        case "--changes-per-second" -> changes = (int) positive(a, v, 1, 100_000);
        case "--out" -> out = Path.of(v);
        case "--threads" -> threads = (int) positive(a, v, 1, 64);
        case "--pgbench-tps" -> pgbench = Double.parseDouble(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    URI uri = URI.create(base.replaceAll("/+$", ""));
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--base-url must be http://host:port, got " + base);
    }
    if (!allowRemote && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("refusing to load " + uri.getHost()
          + ": only loopback targets (127.0.0.0/8, localhost, ::1) are allowed; pass --allow-remote to override");
    }
    if (duration.compareTo(Duration.ofMinutes(10)) > 0 || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be > 0 and at most 10m");
    }
    if (out == null) {
      out = Path.of("reports", "run-" + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
    }
    return new LoadOptions(scenarios, uri, connections, duration, maxRequests,
        users == null ? connections : users, wsClients, changes, out, allowRemote, threads, pgbench, List.of(args));
  }

  public String host() {
    String h = baseUrl.getHost();
    return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
  }

  public int port() {
    return baseUrl.getPort() > 0 ? baseUrl.getPort() : 80;
  }

  /** The share of the bounds one scenario gets. */
  public Duration durationPerScenario() {
    return duration.dividedBy(scenarios.size());
  }

  public long requestsPerScenario() {
    return Math.max(1, maxRequests / scenarios.size());
  }

  /**
   * Literal loopback addresses and {@code localhost} only. Names are never resolved: a name that happens to
   * resolve to loopback today may not tomorrow.
   */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    boolean ipv4 = h.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    boolean ipv6 = h.contains(":") && h.matches("[0-9a-f:.]+");
    if (!ipv4 && !ipv6) {
      return false;
    }
    try {
      // A literal is parsed, not looked up.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static List<String> scenarioList(String v) {
    if (v.equals("all")) {
      return ALL;
    }
    List<String> list = new ArrayList<>();
    for (String s : v.split(",")) {
      String name = s.trim();
      if (!ALL.contains(name) && !NAMED_ONLY.contains(name)) {
        throw new IllegalArgumentException("unknown scenario '" + name + "'; one of " + ALL + " or all");
      }
      list.add(name);
    }
    return List.copyOf(list);
  }

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  /** "30s", "1m30s", "500ms" or a bare number of seconds. */
  public static Duration parseDuration(String v) {
    if (v.matches("\\d+(\\.\\d+)?")) {
      return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }
    Matcher m = PART.matcher(v);
    long ms = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      double n = Double.parseDouble(m.group(1));
      ms += (long) (n * switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        default -> 3_600_000;
      });
      end = m.end();
    }
    if (end != v.length() || end == 0) {
      throw new IllegalArgumentException("bad duration '" + v + "' (use e.g. 30s, 1m, 500ms)");
    }
    return Duration.ofMillis(ms);
  }

  private static long positive(String name, String v, long min, long max) {
    long n;
    try {
      n = Long.parseLong(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + n);
    }
    return n;
  }
}
