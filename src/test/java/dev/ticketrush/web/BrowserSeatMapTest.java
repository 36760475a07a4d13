package dev.ticketrush.web;

import dev.ticketrush.support.SystemTools;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the headless-Chromium test of the seat-map page (e2e/seatmap.test.mjs, playwright-core driving
 * Debian's chromium) against a real node serving the 10,000-seat demo event. Never skipped: without Chromium or
 * the e2e packages it fails saying what to install (mvn verify installs the packages; .ci/run installs Chromium).
 */
class BrowserSeatMapTest {

  @Test
  @TicketRushNode({"demoEvent=true", "rateLimitUser=20", "rateLimitIp=500"})
  void seatMapHoldsSeesOthersAndBuys(TestNode node) throws Exception {
    String chromium = SystemTools.chromium();
    SystemTools.requireE2e("playwright-core");
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
