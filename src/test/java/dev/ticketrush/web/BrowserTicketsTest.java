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
    ProcessBuilder pb = new ProcessBuilder("node", "tickets.test.mjs").directory(new File("e2e"));
    pb.environment().put("TICKETRUSH_URL", node.baseUrl());
    pb.environment().put("CHROMIUM", chromium);
    pb.environment().put("SCREENSHOT_DIR", new File("target/screenshots").getAbsolutePath());
    pb.redirectErrorStream(true);
    File log = new File("target/browser-tickets-test.log");
    pb.redirectOutput(log);
    Process p = pb.start();
    boolean finished = p.waitFor(240, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String out = Files.readString(log.toPath());
    System.out.println(out);
    assertThat(finished).as("browser test finished in time").isTrue();
    assertThat(p.exitValue()).as("browser test output:\n%s", out).isZero();
    assertThat(out).contains("# pass 1").contains("# fail 0").doesNotContain("# skipped 1");
  }
}
