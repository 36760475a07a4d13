package dev.ticketrush.http;

import dev.ticketrush.Services;
import dev.ticketrush.event.Event;
import dev.ticketrush.queue.RateLimiter;
import dev.ticketrush.queue.WaitingRoom;
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
  private final WaitingRoom room;

  public Guard(Services services, Authn authn, RateLimiter limiter) {
    this.services = services;
    this.authn = authn;
    this.limiter = limiter.countingIn(services.metrics());
    this.room = WaitingRoom.sharing(limiter);
  }

  public Future<?> authenticated(RoutingContext ctx, HttpVerticle.EventAction action) {
    return services.events().get(Json.pathLong(ctx, "eventId"))
        .compose(e -> authn.caller(ctx).compose(c -> action.apply(ctx, e, c)));
  }

  public Future<?> limited(RoutingContext ctx, HttpVerticle.EventAction action) {
    return services.events().get(Json.pathLong(ctx, "eventId")).compose(e -> authn.caller(ctx).compose(c -> admitted(ctx, e, c)
        .compose(v -> limiter.check(e.id(), c.userId(), clientIp(ctx), perUser(e), perIp(e)))
        .compose(ok -> action.apply(ctx, e, c))));
  }

  /**
   * On a queue-enabled event: the caller's own valid entry token AND a still-active admission slot, which this
   * request renews (an admitted user who goes quiet frees the slot for the next in line).
   */
  private Future<Void> admitted(RoutingContext ctx, Event e, Caller c) {
    if (!e.queue().enabled()) {
      return Future.succeededFuture();
    }
    services.entryTokens().verify(ctx.request().getHeader(ENTRY_TOKEN_HEADER), e.id(), c.userId(), System.currentTimeMillis());
    return room.stillAdmitted(e.id(), c.userId());
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
