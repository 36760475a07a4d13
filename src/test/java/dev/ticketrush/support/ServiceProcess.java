package dev.ticketrush.support;

import java.io.File;
import java.util.Map;

/**
 * A Ticket Rush node as a child JVM (`dev.ticketrush.Main`) against the test Redis and PostgreSQL, for tests
 * that must kill a real process. Dev tokens on, rate limits off; {@code extraEnv} adds or overrides variables.
 */
public final class ServiceProcess {
  private ServiceProcess() {
  }

  public static Process start(int port, String logName, Map<String, String> extraEnv) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.ticketrush.Main");
    Map<String, String> env = pb.environment();
    env.put("TICKETRUSH_HTTP_PORT", String.valueOf(port));
    env.put("TICKETRUSH_REDIS_URL", TestServices.redisUrl());
    env.put("TICKETRUSH_PG_URL", TestServices.pgUrl());
    env.put("TICKETRUSH_JWT_SECRET", "crash-test-secret-crash-test-secret");
    env.put("TICKETRUSH_DEV_TOKENS", "true");
    env.put("TICKETRUSH_TICKET_SIGNING_KEY", TestServices.ticketSigningKey());
    env.put("TICKETRUSH_DEMO_EVENT", "false");
    env.put("TICKETRUSH_PAYMENT_GATEWAY", "fake");
    env.put("TICKETRUSH_RATE_LIMIT_USER", "0");
    env.put("TICKETRUSH_RATE_LIMIT_IP", "0");
    env.putAll(extraEnv);
    pb.redirectErrorStream(true).redirectOutput(new File("target/" + logName + "-" + port + ".log"));
    return pb.start();
  }

  /** Polls /health/ready until the node answers 200 (a minute at most). */
  public static void waitReady(Api api) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (api.get("/health/ready", null).status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // connection refused while starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("service did not become ready");
  }
}
