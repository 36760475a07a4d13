package dev.ticketrush.http;

import dev.ticketrush.Services;
import dev.ticketrush.event.Event;
import dev.ticketrush.queue.RateLimiter;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * The checks in front of seat-changing requests, in a fixed order: event exists (404), caller authenticated
 * (401), admitted through the waiting room when the event has one (403), within rate limits (429).
 */
public final class Guard {
  public static final String ENTRY_TOKEN_HEADER = "X-Entry-Token";

  private final Services services;
  private final Authn authn;
  private final RateLimiter limiter;

  public Guard(Services services, Authn authn, RateLimiter limiter) {
    this.services = services;
    this.authn = authn;
    this.limiter = limiter;
  }

  public Future<?> authenticated(RoutingContext ctx, HttpVerticle.EventAction action) {
    return services.events().get(Json.pathLong(ctx, "eventId"))
        .compose(e -> authn.caller(ctx).compose(c -> action.apply(ctx, e, c)));
  }

  public Future<?> limited(RoutingContext ctx, HttpVerticle.EventAction action) {
    return services.events().get(Json.pathLong(ctx, "eventId")).compose(e -> authn.caller(ctx).compose(c -> {
      if (e.queue().enabled()) {
        services.entryTokens().verify(ctx.request().getHeader(ENTRY_TOKEN_HEADER), e.id(), c.userId(), System.currentTimeMillis());
      }
      return limiter.check(e.id(), c.userId(), clientIp(ctx), perUser(e), perIp(e)).compose(ok -> action.apply(ctx, e, c));
    }));
  }

  public Authn authn() {
    return authn;
  }

  private int perUser(Event e) {
    return e.rateLimitUser() != null ? e.rateLimitUser() : services.config().rateLimitUser();
  }

  private int perIp(Event e) {
    return e.rateLimitIp() != null ? e.rateLimitIp() : services.config().rateLimitIp();
  }

  static String clientIp(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
