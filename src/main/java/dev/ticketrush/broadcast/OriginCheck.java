package dev.ticketrush.broadcast;

import dev.ticketrush.web.ProblemHandler;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Browsers send {@code Origin} on WebSocket and SockJS requests and let any page open them, so a foreign page
 * could otherwise use a visitor's browser as a client. {@code allowedOrigin} is {@code *} (any) or a
 * comma-separated list of origins; requests without the header (non-browser clients) pass.
 */
final class OriginCheck implements Handler<RoutingContext> {
  private final Set<String> allowed;

  OriginCheck(String allowedOrigin) {
    String spec = allowedOrigin == null ? "*" : allowedOrigin.trim();
    this.allowed = spec.isEmpty() || spec.equals("*") ? null : Arrays.stream(spec.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).map(OriginCheck::normalize).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (allowed == null || origin == null || allowed.contains(normalize(origin))) {
      ctx.next();
      return;
    }
    ProblemHandler.send(ctx, Rejection.of(Outcome.FORBIDDEN, "origin " + origin + " is not allowed"));
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase();
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
