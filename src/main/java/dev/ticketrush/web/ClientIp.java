package dev.ticketrush.web;

import io.vertx.ext.web.RoutingContext;

/** The client address a per-IP limit applies to (the proxy's view when forwarded headers are trusted). */
public final class ClientIp {
  private ClientIp() {
  }

  public static String of(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
