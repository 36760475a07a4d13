package dev.ticketrush.loadtest;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard or alert on a metric the service does not export shows nothing and never fires. After a hold, an
 * order, a waiting-room join and an open WebSocket, every metric named in the Grafana dashboard and the alert
 * rules must appear in {@code GET /metrics}.
 */
@TicketRushNode
class DashboardMetricsTest {
  static final Path DASHBOARD = Path.of("conf/grafana/ticket-rush-dashboard.json");
  static final Path ALERTS = Path.of("conf/prometheus/alerts.yml");
  /** The names the team agreed on; the dashboard and alerts must use each of them. */
  static final Set<String> TEAM_METRICS = Set.of("ticketrush_holds_total", "ticketrush_orders_total", "ticketrush_ws_clients",
      "ticketrush_propagation_seconds_bucket", "ticketrush_ws_dropped_total", "ticketrush_queue_waiting",
      "ticketrush_queue_admitted_total", "ticketrush_rate_limited_total", "ticketrush_ready",
      "vertx_http_server_response_time_seconds_bucket");
  /** Metric names are recognised by the prefixes of the registries we export. */
  static final Pattern METRIC = Pattern.compile("\\b(?:ticketrush|vertx|jvm|process|system)_[a-zA-Z0-9_]+");

  TestNode node; // both set by @TicketRushNode
  Api api;

  static Set<String> referencedMetrics() throws Exception {
    Set<String> names = new TreeSet<>();
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    int exprs = 0;
    for (Object p : dashboard.getJsonArray("panels")) {
      for (Object t : ((JsonObject) p).getJsonArray("targets", new JsonArray())) {
        String expr = ((JsonObject) t).getString("expr");
        exprs++;
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    assertThat(exprs).as("dashboard queries").isGreaterThan(10);
    String alerts = Files.readString(ALERTS);
    assertThat(alerts).contains("groups:", "expr:");
    Matcher m = METRIC.matcher(alerts);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = line.length();
      for (char c : new char[] {'{', ' '}) {
        int i = line.indexOf(c);
        if (i > 0) {
          end = Math.min(end, i);
        }
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  @Test
  void everyMetricOfTheDashboardAndAlertsIsExported() throws Exception {
    Set<String> wanted = referencedMetrics();
    assertThat(wanted).containsAll(TEAM_METRICS);

    // Traffic that makes every meter exist: a hold and an order, a waiting-room join, a WebSocket watcher.
    JsonObject event = api.createEvent(1, 10, new JsonObject());
    long id = event.getLong("id");
    String buyer = api.token("metrics-buyer");
    assertThat(api.hold(id, buyer, 1).status()).isEqualTo(201);
    Api.Reply order = api.post("/api/events/" + id + "/orders", buyer, "{\"seats\":[1],\"paymentToken\":\"tok_ok\"}",
        Map.of("Idempotency-Key", "metrics-1"));
    assertThat(order.status()).as(order.toString()).isEqualTo(201);

    JsonObject queued = api.createEvent(1, 10, new JsonObject().put("queue",
        new JsonObject().put("enabled", true).put("admitPerSecond", 1).put("maxActive", 1)));
    // Not asserted here (the waiting room has tests of its own): a failing join shows up as missing queue meters.
    StringBuilder joins = new StringBuilder();
    for (String user : new String[] {"metrics-q1", "metrics-q2"}) {
      Api.Reply join = api.post("/api/events/" + queued.getLong("id") + "/queue", api.token(user), "{}");
      joins.append(" queue join: ").append(join.status());
    }

    CompletableFuture<CharSequence> first = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + node.port() + "/ws/events/" + id), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            first.complete(data);
            webSocket.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    try {
      assertThat(first.get(10, TimeUnit.SECONDS).toString()).contains("snapshot");
      // A change while the watcher is open feeds the propagation histogram.
      assertThat(api.hold(id, buyer, 2).status()).isEqualTo(201);

      Set<String> missing = Await.until(() -> {
        Api.Reply scrape = api.get("/metrics", null);
        assertThat(scrape.status()).isEqualTo(200);
        Set<String> absent = new TreeSet<>(wanted);
        absent.removeAll(exported(scrape.body()));
        return absent;
      }, Set::isEmpty, Duration.ofSeconds(15), Duration.ofMillis(250));
      assertThat(missing).as("metrics used by conf/grafana and conf/prometheus but absent from /metrics (" + joins.toString().trim() + ")")
          .isEmpty();
    } finally {
      ws.abort();
    }
  }
}
