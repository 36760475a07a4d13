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
 * Runs the headless-Chromium test of the after-sale pages (e2e/tickets.test.mjs) against a real node: a seat bought
 * on the seat map, "My tickets" showing its QR code (decoded back from the canvas pixels by jsQR), a transfer and a
 * cancel from that page, and the door scanner page admitting the code once, then answering "already checked in",
 * under a strict Content-Security-Policy. Never skipped: without Chromium or the e2e packages it fails saying what
 * to install.
 */
class BrowserTicketsTest {

  @Test
  @TicketRushNode({"rateLimitUser=20", "rateLimitIp=500"})
  void myTicketsShowsTheQrCodeAndTheScannerAdmitsItOnce(TestNode node) throws Exception {
    String chromium = SystemTools.chromium();
    SystemTools.requireE2e("playwright-core");
    SystemTools.requireE2e("jsqr");
    NodeScript.Result r = NodeScript.run(List.of("node", "tickets.test.mjs"), Map.of("TICKETRUSH_URL", node.baseUrl(),
        "CHROMIUM", chromium, "SCREENSHOT_DIR", new File("target/screenshots").getAbsolutePath()),
        "browser-tickets-test.log", Duration.ofSeconds(240));
    String out = r.output();
    assertThat(r.finished()).as("browser test finished in time").isTrue();
    assertThat(r.exitCode()).as("browser test output:\n%s", out).isZero();
    assertThat(out).contains("# pass 1").contains("# fail 0").doesNotContain("# skipped 1");
  }
}
