package dev.ticketrush.loadtest;

import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load tool end to end against a real node: a tiny hold-race, payment-race, seat-change and ws-propagation,
 * bounded to a few seconds and a few hundred requests, must write report.md, report.json and SVG charts and
 * find no oversell and no server error. Performance numbers are deliberately not asserted.
 */
@TicketRushNode
class LoadToolEndToEndTest {

  @Test
  void tinyRunOfEveryScenarioWritesTheReportAndFindsNoOversell(@TempDir Path dir, TestNode node) throws Exception {
    Path out = dir.resolve("report");
    LoadOptions options = LoadOptions.parse("--scenario", "all", "--base-url", node.baseUrl(),
        "--connections", "8", "--users", "12", "--duration", "14s", "--max-requests", "2400",
        "--ws-clients", "10", "--changes-per-second", "20", "--threads", "1", "--out", out.toString());

    JsonObject report = LoadRun.run(options);

    assertThat(out.resolve("report.md")).exists();
    assertThat(out.resolve("report.json")).exists();
    JsonObject json = new JsonObject(Files.readString(out.resolve("report.json")));
    assertThat(json.getJsonArray("scenarios")).hasSize(4);
    for (Object o : json.getJsonArray("scenarios")) {
      JsonObject s = (JsonObject) o;
      assertThat(s.containsKey("error")).as(s.getString("name") + ": " + s.getString("error")).isFalse();
      assertThat(s.getLong("serverErrors")).as(s.getString("name")).isZero();
      assertThat(s.getJsonObject("oversell").getBoolean("passed")).as(s.getString("name") + " " + s.getJsonObject("oversell")).isTrue();
      assertThat(s.getJsonObject("oversell").getInteger("oversold")).isZero();
      JsonObject checks = s.getJsonObject("checks");
      for (String c : checks.fieldNames()) {
        assertThat(checks.getJsonObject(c).getLong("failed")).as(s.getString("name") + ": " + c).isZero();
      }
    }
    // Bounded: never more load requests than asked for.
    assertThat(json.getJsonObject("totals").getLong("requests")).isLessThanOrEqualTo(2400 + 200);
    assertThat(json.getJsonObject("totals").getBoolean("oversellCheckPassed")).isTrue();

    JsonObject race = ReportWriter.scenario(report, "hold-race");
    assertThat(race.getJsonObject("operations").getJsonObject("hold").getLong("count")).isPositive();
    assertThat(race.getJsonObject("operations").getJsonObject("hold").getDouble("p99Ms")).isPositive();

    JsonObject pay = ReportWriter.scenario(report, "payment-race");
    JsonObject sold = pay.getJsonObject("oversell");
    assertThat(sold.getInteger("confirmedOrders")).as("some orders were confirmed").isPositive();
    assertThat(sold.getInteger("soldSeats")).isEqualTo(sold.getInteger("confirmedSeats"));
    assertThat(pay.getJsonObject("operations").getJsonObject("order_retry").getJsonObject("outcomes").fieldNames())
        .containsAnyOf("201", "402 payment_declined");

    JsonObject ws = ReportWriter.scenario(report, "ws-propagation");
    assertThat(ws.getInteger("watchersConnected")).isEqualTo(10);
    JsonObject p = ws.getJsonObject("propagation");
    assertThat(p.getLong("changesMade")).isPositive();
    assertThat(p.getLong("delivered")).isEqualTo(p.getLong("deliveriesExpected"));
    assertThat(p.getLong("missedDeliveries")).isZero();
    assertThat(p.getLong("versionGaps")).isZero();
    assertThat(p.getLong("wsErrors")).isZero();

    JsonArray charts = json.getJsonArray("charts");
    assertThat(charts).contains("latency-hold-race.svg", "propagation.svg");
    for (Object c : charts) {
      Path svg = out.resolve((String) c);
      // Well-formed XML with an <svg> root: a browser will draw it.
      assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile()).getDocumentElement().getTagName())
          .isEqualTo("svg");
    }
    String md = Files.readString(out.resolve("report.md"));
    assertThat(md).contains("## Machine", "## SLOs", "Oversell verification: **passed**", "propagation_from_answer", "p99");
  }
}
