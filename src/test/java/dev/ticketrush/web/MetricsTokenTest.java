package dev.ticketrush.web;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TicketRushNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With TICKETRUSH_METRICS_TOKEN set, /metrics needs that bearer token; everything else stays as it was. */
class MetricsTokenTest {

  @Test
  @TicketRushNode("metricsToken=scrape-token-scrape-token")
  void metricsNeedTheTokenWhenOneIsConfigured(Api api) {
    Api.Reply none = api.get("/metrics", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("Content-Type")).startsWith("application/problem+json");
    assertThat(none.code()).isEqualTo("unauthorized");
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");

    assertThat(api.get("/metrics", "scrape-token-scrape-tokeX").status()).isEqualTo(401);
    assertThat(api.get("/metrics", api.token("admin", "admin")).status()).as("a user token is not the metrics token")
        .isEqualTo(401);

    Api.Reply ok = api.get("/metrics", "scrape-token-scrape-token");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).contains("vertx_http_server_");
    assertThat(api.get("/health/ready", null).status()).as("health stays open").isEqualTo(200);
  }
}
