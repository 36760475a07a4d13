package dev.ticketrush.web;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * With {@code TICKETRUSH_METRICS_TOKEN} set, {@code /metrics} answers only {@code Authorization: Bearer <token>}
 * (else 401 problem): the metrics name routes, events and volumes an outsider has no business seeing.
 */
final class MetricsGuard implements Handler<RoutingContext> {
  private final byte[] expected;

  MetricsGuard(String token) {
    this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected == null) {
      ctx.next();
      return;
    }
    String given = ctx.request().getHeader("Authorization");
    // Constant time: the comparison must not tell a prober how many leading characters were right.
    if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
    ctx.fail(Rejection.of(Outcome.UNAUTHORIZED, "/metrics needs Authorization: Bearer <TICKETRUSH_METRICS_TOKEN>"));
  }
}
