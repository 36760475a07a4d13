package dev.ticketrush.web;

import dev.ticketrush.support.NodeScript;
import dev.ticketrush.support.SystemTools;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
    NodeScript.Result r = NodeScript.run(List.of("node", "seatmap.test.mjs"), Map.of("TICKETRUSH_URL", node.baseUrl(),
        "TICKETRUSH_EVENT", String.valueOf(node.app().demoEvent().id()), "CHROMIUM", chromium,
        "SCREENSHOT_PATH", new File("target/screenshot.png").getAbsolutePath()), "browser-test.log", Duration.ofSeconds(180));
    String out = r.output();
    assertThat(r.finished()).as("browser test finished in time").isTrue();
    assertThat(r.exitCode()).as("browser test output:\n%s", out).isZero();
    assertThat(out).contains("# pass 1").contains("# fail 0");
  }
}
