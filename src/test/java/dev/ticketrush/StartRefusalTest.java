package dev.ticketrush;

import dev.ticketrush.support.Integration;
import dev.ticketrush.support.TestServices;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process entry refuses an unsafe production configuration before it touches any service: exit code 1 and
 * one log line naming what to set. (The URLs point at closed ports: nothing may be contacted.)
 */
@Integration
class StartRefusalTest {

  @Test
  void productionWithoutVerificationKeyExitsWithOneLine() throws Exception {
    Result r = run(Map.of(
        "TICKETRUSH_REDIS_URL", "redis://127.0.0.1:1",
        "TICKETRUSH_PG_URL", "postgresql://u:pw@127.0.0.1:1/db",
        "TICKETRUSH_PAYMENT_GATEWAY", "stripe"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.refusalLines()).hasSize(1);
    assertThat(r.refusalLines()[0]).contains("TICKETRUSH_JWT_SECRET", "TICKETRUSH_JWT_PUBLIC_KEY", "TICKETRUSH_JWKS_URL");
    assertThat(r.output()).doesNotContain("\tat ");
  }

  @Test
  void productionWithoutTicketSigningKeyExitsWithOneLine() throws Exception {
    Result r = run(Map.of(
        "TICKETRUSH_REDIS_URL", "redis://127.0.0.1:1",
        "TICKETRUSH_PG_URL", "postgresql://u:pw@127.0.0.1:1/db",
        "TICKETRUSH_JWT_SECRET", "refusal-test-secret-refusal-test-secret",
        "TICKETRUSH_PAYMENT_GATEWAY", "fake"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.refusalLines()).hasSize(1);
    assertThat(r.refusalLines()[0]).contains("TICKETRUSH_TICKET_SIGNING_KEY");
    assertThat(r.output()).doesNotContain("\tat ");
  }

  @Test
  void halfEmbeddedExitsWithOneLine() throws Exception {
    Result r = run(Map.of("TICKETRUSH_REDIS_URL", "redis://127.0.0.1:1"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.refusalLines()).hasSize(1);
    assertThat(r.refusalLines()[0]).contains("only TICKETRUSH_REDIS_URL is set");
  }

  /** What the container image does when started without settings (its Dockerfile sets the switch to false). */
  @Test
  void devModeNotAllowedExitsWithOneLine() throws Exception {
    Result r = run(Map.of("TICKETRUSH_ALLOW_DEV_MODE", "false"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.refusalLines()).hasSize(1);
    assertThat(r.refusalLines()[0]).contains("dev mode is not allowed", "TICKETRUSH_ALLOW_DEV_MODE=true",
        "TICKETRUSH_REDIS_URL");
    assertThat(r.output()).doesNotContain("\tat ");
  }

  /** A start that fails late (the services answer, the port is taken) still ends the process and says why. */
  @Test
  void aTakenPortExitsWithTheReason() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Result r = run(Map.of(
          "TICKETRUSH_REDIS_URL", TestServices.redisUrl(),
          "TICKETRUSH_PG_URL", TestServices.pgUrl(),
          "TICKETRUSH_JWT_SECRET", "refusal-test-secret-refusal-test-secret",
          "TICKETRUSH_TICKET_SIGNING_KEY", TestServices.ticketSigningKey(),
          "TICKETRUSH_PAYMENT_GATEWAY", "fake",
          "TICKETRUSH_DEMO_EVENT", "false",
          "TICKETRUSH_HTTP_PORT", Integer.toString(taken.getLocalPort())));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.output()).contains("start-up failed", "cannot listen on port " + taken.getLocalPort());
    }
  }

  private record Result(int exitCode, String output) {
    String[] refusalLines() {
      return output.lines().filter(l -> l.contains("refusing to start")).toArray(String[]::new);
    }
  }

  private static Result run(Map<String, String> env) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.ticketrush.Main");
    // Only what this test sets: a CI job's own TICKETRUSH_* variables must not change the verdict.
    pb.environment().keySet().removeIf(k -> k.startsWith("TICKETRUSH_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits by itself").isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
