package dev.ticketrush.web;

import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the Node tests of the JS client module (e2e/client.test.mjs: feed convergence after a gap, resume with
 * {@code ?since}, a purchase retried after a lost answer charging once, Retry-After handling) against a real
 * node. Skipped, with the reason, only where node or the e2e packages (ws) are missing; .ci/run installs them.
 */
class JsClientTest {

  @Test
  void jsClientKeepsTheMapAndRetriesSafely() throws Exception {
    assumeTrue(nodeAvailable(), "no node on PATH: JS client test skipped");
    assumeTrue(Files.isDirectory(Path.of("e2e/node_modules/ws")), "e2e packages missing (cd e2e && npm ci): JS client test skipped");
    try (TestNode node = TestNode.start(new JsonObject())) {
      ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=tap", "client.test.mjs").directory(new File("e2e"));
      pb.environment().put("TICKETRUSH_URL", node.baseUrl());
      pb.redirectErrorStream(true);
      File log = new File("target/js-client-test.log");
      pb.redirectOutput(log);
      Process p = pb.start();
      boolean finished = p.waitFor(120, TimeUnit.SECONDS);
      if (!finished) {
        p.destroyForcibly();
      }
      String out = Files.readString(log.toPath());
      System.out.println(out);
      assertThat(finished).as("node tests finished in time").isTrue();
      assertThat(p.exitValue()).as("node test output:\n%s", out).isZero();
      Matcher pass = Pattern.compile("(?m)^# pass (\\d+)$").matcher(out);
      assertThat(pass.find() && Integer.parseInt(pass.group(1)) > 0).as("some node tests ran and passed:\n%s", out).isTrue();
      assertThat(out).contains("# fail 0").contains("# skipped 0");
    }
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
