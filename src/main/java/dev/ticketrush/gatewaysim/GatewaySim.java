package dev.ticketrush.gatewaysim;

import io.vertx.core.Vertx;

/**
 * {@code java -jar target/ticket-rush.jar gateway-sim --port N}: a local stand-in for the subset of Stripe's
 * API that the {@code stripe} payment gateway speaks, for rehearsals and tests. A separate process with its
 * own in-memory state (lost on exit), so a test can kill the service without losing the gateway's memory
 * of what it charged. As unkind as Stripe where it matters for money: search lags, lists page newest first,
 * a key in use answers 409, stored results (errors included) replay, intents can sit in {@code processing}.
 * Imports no other production package.
 */
public final class GatewaySim {
  static final String USAGE = """
      usage: gateway-sim [--port N] [--host H] [--no-search] [--search-lag-ms N] [--processing-ms N] [--max-intents N]
                   [--refund-delay-ms N]
        --port N           port to listen on (default 12111; 0 = any free port)
        --host H           address to bind (default 127.0.0.1)
        --no-search        answer 404 on /v1/payment_intents/search, like an account without Stripe search
        --search-lag-ms N  a new PaymentIntent shows up in search only N ms after it was created, as with
                           Stripe's search index (default 30000)
        --processing-ms N  how long a tok_processing PaymentIntent stays processing (default 3000)
        --refund-delay-ms N  a refund is made at once and answered N ms later; meanwhile its key answers 409
                           (default 0)
        --max-intents N    PaymentIntents kept in memory before new charges are refused (default 250000,
                           about 2 KB of heap each)
      """;

  private GatewaySim() {
  }

  public static void main(String[] args) {
    int port = 12111;
    String host = "127.0.0.1";
    boolean search = true;
    int maxIntents = Ledger.MAX_INTENTS;
    long searchLagMs = SimOptions.DEFAULT_SEARCH_LAG_MS;
    long processingMs = SimOptions.DEFAULT_PROCESSING_MS;
    long refundDelayMs = 0;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(args[++i]);
          case "--host" -> host = args[++i];
          case "--no-search" -> search = false;
          case "--max-intents" -> maxIntents = Integer.parseInt(args[++i]);
          case "--search-lag-ms" -> searchLagMs = Long.parseLong(args[++i]);
          case "--processing-ms" -> processingMs = Long.parseLong(args[++i]);
          case "--refund-delay-ms" -> refundDelayMs = Long.parseLong(args[++i]);
          case "--help" -> {
            System.out.print(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (port < 0 || port > 65535 || maxIntents < 1 || searchLagMs < 0 || processingMs < 0 || refundDelayMs < 0) {
        throw new IllegalArgumentException("port must be 0-65535, --max-intents at least 1, lags and durations at least 0");
      }
    } catch (RuntimeException bad) {
      System.err.println("gateway-sim: " + (bad instanceof ArrayIndexOutOfBoundsException ? "missing option value" : bad.getMessage()));
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    SimServer server = new SimServer(host, port, new SimOptions(search, searchLagMs, processingMs, maxIntents,
        refundDelayMs));
    String bind = host;
    boolean searchOn = search;
    long lag = searchLagMs;
    vertx.deployVerticle(server).onComplete(ar -> {
      if (ar.failed()) {
        System.err.println("gateway-sim: cannot listen on " + bind + ": " + ar.cause());
        System.exit(1);
      }
      System.out.println("gateway-sim listening on http://" + bind + ":" + server.actualPort()
          + (searchOn ? " (search lag " + lag + " ms)" : " (search disabled)"));
    });
  }
}
