package dev.ticketrush.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code gateway-sim} as a child JVM (the way it runs next to a node), plus a raw HTTP client that speaks to it
 * like Stripe's API: bearer key, form bodies, JSON answers.
 */
public final class GatewaySimProcess implements AutoCloseable {
  public static final String SECRET_KEY = "sk_test_ticketrush";

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public record Reply(int status, JsonObject json) {
  }

  private GatewaySimProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static GatewaySimProcess start(String... extraArgs) throws IOException, InterruptedException {
    int port = TestNode.freePort();
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        "dev.ticketrush.gatewaysim.GatewaySim", "--port", String.valueOf(port)));
    command.addAll(List.of(extraArgs));
    Path log = Path.of("target", "gateway-sim-" + port + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    GatewaySimProcess sim = new GatewaySimProcess(process, port, log);
    sim.awaitListening();
    return sim;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Reply get(String pathAndQuery) {
    return send(request(pathAndQuery).GET().build());
  }

  public Reply get(String pathAndQuery, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b.GET().build());
  }

  /** A form POST; {@code idempotencyKey} may be null. */
  public Reply post(String path, Map<String, String> form, String idempotencyKey) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder b = request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b.build());
  }

  /** Every PaymentIntent, newest first, read page by page with {@code starting_after}. */
  public List<JsonObject> allIntents(int pageSize) {
    List<JsonObject> all = new ArrayList<>();
    String after = null;
    while (true) {
      Reply page = get("/v1/payment_intents?limit=" + pageSize + (after == null ? "" : "&starting_after=" + after));
      if (page.status() != 200) {
        throw new IllegalStateException("list answered " + page);
      }
      JsonArray data = page.json().getJsonArray("data");
      data.forEach(o -> all.add((JsonObject) o));
      if (!page.json().getBoolean("has_more")) {
        return all;
      }
      after = data.getJsonObject(data.size() - 1).getString("id");
    }
  }

  /** The PaymentIntents whose {@code metadata[ticketrush_charge]} is the key, from the list (not the search). */
  public List<JsonObject> intentsWithChargeKey(String chargeKey) {
    return allIntents(100).stream()
        .filter(pi -> chargeKey.equals(pi.getJsonObject("metadata").getString("ticketrush_charge")))
        .toList();
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + SECRET_KEY);
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), new JsonObject(response.body()));
    } catch (IOException e) {
      throw new IllegalStateException("gateway-sim did not answer " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitListening() throws InterruptedException, IOException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("gateway-sim exited: " + Files.readString(log));
      }
      try {
        if (get("/v1/payment_intents?limit=1").status() == 200) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // connection refused while the JVM starts
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException("gateway-sim did not start listening: " + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
