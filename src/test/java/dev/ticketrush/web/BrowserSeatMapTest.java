package dev.ticketrush.web;

import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the headless-Chromium test of the seat-map page (e2e/seatmap.test.mjs, playwright-core driving
 * Debian's chromium) against a real node serving the 10,000-seat demo event. Skipped, with the reason,
 * only where no browser or no e2e packages can be had; .ci/run installs both.
 */
class BrowserSeatMapTest {

  @Test
  void seatMapHoldsSeesOthersAndBuys() throws Exception {
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    assumeTrue(new File(chromium).canExecute(), "no Chromium at " + chromium + " (apt-get install chromium): browser test skipped");
    assumeTrue(Files.isDirectory(Path.of("e2e/node_modules/playwright-core")),
        "e2e packages missing (cd e2e && npm ci): browser test skipped");
    try (TestNode node = TestNode.start(new JsonObject().put("demoEvent", true).put("rateLimitUser", 20).put("rateLimitIp", 500))) {
      ProcessBuilder pb = new ProcessBuilder("node", "seatmap.test.mjs").directory(new File("e2e"));
      pb.environment().put("TICKETRUSH_URL", node.baseUrl());
      pb.environment().put("TICKETRUSH_EVENT", String.valueOf(node.app().demoEvent().id()));
      pb.environment().put("CHROMIUM", chromium);
      pb.environment().put("SCREENSHOT_PATH", new File("target/screenshot.png").getAbsolutePath());
      pb.redirectErrorStream(true);
      File log = new File("target/browser-test.log");
      pb.redirectOutput(log);
      Process p = pb.start();
      boolean finished = p.waitFor(180, TimeUnit.SECONDS);
      if (!finished) {
        p.destroyForcibly();
      }
      String out = Files.readString(log.toPath());
      System.out.println(out);
      assertThat(finished).as("browser test finished in time").isTrue();
      assertThat(p.exitValue()).as("browser test output:\n%s", out).isZero();
      assertThat(out).contains("# pass 1").contains("# fail 0");
    }
  }
}
