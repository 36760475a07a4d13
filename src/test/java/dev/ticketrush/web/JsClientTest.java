package dev.ticketrush.web;

import dev.ticketrush.support.NodeScript;
import dev.ticketrush.support.SystemTools;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Node tests of the JS client module (e2e/client.test.mjs: feed convergence after a gap, resume with
 * {@code ?since}, a purchase retried after a lost answer charging once, Retry-After handling, tickets, transfer and
 * check-in) and of ticket codes checked by Node's own crypto (e2e/ticket-codes.test.mjs: the JWS verified with the
 * published JWKS; forged signatures and algorithm switches refused at the door) against a real node. Never skipped: without node or the e2e packages (ws) it fails saying what to install (mvn verify runs
 * npm ci in e2e/).
 */
class JsClientTest {

  @Test
  @TicketRushNode
  void jsClientKeepsTheMapAndRetriesSafely(TestNode node) throws Exception {
    SystemTools.requireE2e("ws");
    NodeScript.Result r = NodeScript.run(List.of("node", "--test", "--test-reporter=tap", "client.test.mjs", "ticket-codes.test.mjs"),
        Map.of("TICKETRUSH_URL", node.baseUrl()), "js-client-test.log", Duration.ofSeconds(180));
    String out = r.output();
    assertThat(r.finished()).as("node tests finished in time").isTrue();
    assertThat(r.exitCode()).as("node test output:\n%s", out).isZero();
    Matcher pass = Pattern.compile("(?m)^# pass (\\d+)$").matcher(out);
    assertThat(pass.find() && Integer.parseInt(pass.group(1)) > 0).as("some node tests ran and passed:\n%s", out).isTrue();
    assertThat(out).contains("# fail 0").contains("# skipped 0");
  }

}
