package dev.ticketrush;

import dev.ticketrush.config.AppConfig;
import dev.ticketrush.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -jar ticket-rush.jar} starts a node; {@code java -jar ticket-rush.jar loadtest ...} runs the
 * load tool against one; {@code java -jar ticket-rush.jar gateway-sim --port N} runs the Stripe-subset payment
 * simulator. SIGTERM stops the node in dependency order ({@link TicketRush#close}: HTTP drains first, the seat
 * service stops last), then Vert.x and the embedded servers.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("loadtest")) {
      dev.ticketrush.loadtest.LoadTool.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("audit")) {
      System.exit(AuditCommand.run(Arrays.copyOfRange(args, 1, args.length), AuditCommand.config()));
    }
    if (args.length > 0 && args[0].equals("gateway-sim")) {
      dev.ticketrush.gatewaysim.GatewaySim.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    JsonObject settings = AppConfig.read(Path.of(System.getProperty("ticketrush.conf", "conf")), System.getenv());
    // Before the first logger exists: JSON lines in production, readable lines in dev.
    if ("json".equalsIgnoreCase(String.valueOf(settings.getValue("logFormat"))) && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
    AppConfig config;
    try {
      config = AppConfig.fromJson(settings);
    } catch (ConfigException e) {
      // One line that says what to set; a stack trace would only bury it.
      log.error("refusing to start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    long started = System.nanoTime();
    TicketRush app;
    try {
      // The main thread waits for the start: a failed start closes Vert.x, and with it every non-daemon thread,
      // so a callback would race the JVM's exit and the reason would never be logged.
      app = TicketRush.start(config).toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
      return;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof ConfigException refused) {
        log.error("refusing to start: {}", refused.getMessage());
      } else {
        log.error("start-up failed: {}", e.getCause().toString(), e.getCause());
      }
      System.exit(1);
      return;
    }
    log.info("ready in {} ms", (System.nanoTime() - started) / 1_000_000);
    // The JVM exits when this hook returns, so this (non-event-loop) thread waits for the orderly close.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      app.close().toCompletionStage().toCompletableFuture().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS)
          .exceptionally(e -> null).join();
    }, "shutdown"));
  }
}
