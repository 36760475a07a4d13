package dev.ticketrush.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Security headers on the pages and their files. The pages load only their own scripts and styles (no inline
 * code, no third-party origin), so a strict Content-Security-Policy costs nothing and turns an injected
 * script into a refused one. {@code blob:} workers: the JS client solves the queue's proof of work in a Web
 * Worker made from a Blob. Frames are refused (clickjacking a Buy button).
 */
final class PageHeaders implements Handler<RoutingContext> {
  static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
