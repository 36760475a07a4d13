package dev.ticketrush.support;

import dev.ticketrush.TicketRush;
import dev.ticketrush.config.AppConfig;
import io.vertx.core.json.JsonObject;

import java.net.ServerSocket;
import java.time.Duration;

/**
 * A real Ticket Rush node on a free port, against the shared test Redis/PostgreSQL. Started and stopped from
 * the JUnit thread (never an event loop), so waiting on its futures here is fine. Tests get one through
 * {@link TicketRushNode}; starting one by hand (try-with-resources) still works.
 */
public final class TestNode implements AutoCloseable {
  private final TicketRush app;

  private TestNode(TicketRush app) {
    this.app = app;
  }

  /** Dev tokens on, rate limits off (tests that need limits turn them on per event), short sweep period. */
  public static TestNode start() {
    return start(new JsonObject());
  }

  public static TestNode start(JsonObject overrides) {
    JsonObject json = new JsonObject()
        .put("httpPort", freePort())
        .put("redisUrl", TestServices.redisUrl())
        .put("pgUrl", TestServices.pgUrl())
        .put("jwtSecret", "test-secret-test-secret-test-secret")
        .put("devTokens", true)
        .put("paymentGateway", "fake")
        .put("demoEvent", false)
        .put("rateLimitUser", 0)
        .put("rateLimitIp", 0)
        .put("paymentLatencyMs", 5)
        .put("sweepIntervalMs", 100)
        .put("reconcileIntervalMs", 1000);
    overrides.forEach(e -> json.put(e.getKey(), e.getValue()));
    AppConfig config = AppConfig.fromJson(json);
    try {
      return new TestNode(Await.result(TicketRush.start(config), Duration.ofSeconds(60)));
    } catch (RuntimeException e) {
      throw new IllegalStateException("test node did not start", e);
    }
  }

  public TicketRush app() {
    return app;
  }

  public int port() {
    return app.config().http().port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    Await.result(app.close(), Duration.ofSeconds(30));
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
