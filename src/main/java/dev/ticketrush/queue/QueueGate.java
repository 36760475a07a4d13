package dev.ticketrush.queue;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.web.Authn;
import dev.ticketrush.web.Caller;
import dev.ticketrush.web.ClientIp;
import dev.ticketrush.web.Gate;
import dev.ticketrush.web.Json;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@link Gate} in front of an event's routes: event exists (404), caller authenticated (401), admitted
 * through the waiting room when the event has one (403), within rate limits (429).
 */
public final class QueueGate implements Gate<Event> {
  public static final String ENTRY_TOKEN_HEADER = "X-Entry-Token";

  /** The service-wide per-user and per-IP limits (requests per second; 0 = off) where an event sets none. */
  public record DefaultLimits(int perUser, int perIp) {
  }

  private final EventCatalog events;
  private final Authn authn;
  private final RateLimiter limiter;
  private final WaitingRoom room;
  private final EntryTokens entryTokens;
  private final DefaultLimits defaults;

  public QueueGate(EventCatalog events, Authn authn, RateLimiter limiter, WaitingRoom room, EntryTokens entryTokens,
                   DefaultLimits defaults) {
    this.events = events;
    this.authn = authn;
    this.limiter = limiter;
    this.room = room;
    this.entryTokens = entryTokens;
    this.defaults = defaults;
  }

  @Override
  public Future<?> authenticated(RoutingContext ctx, Action<Event> action) {
    return events.get(Json.pathLong(ctx, "eventId"))
        .compose(e -> authn.caller(ctx).compose(c -> action.apply(ctx, e, c)));
  }

  @Override
  public Future<?> limited(RoutingContext ctx, Action<Event> action) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(e -> authn.caller(ctx).compose(c -> admitted(ctx, e, c)
        .compose(v -> limiter.check(e.id(), c.userId(), ClientIp.of(ctx), perUser(e), perIp(e)))
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
    entryTokens.verify(ctx.request().getHeader(ENTRY_TOKEN_HEADER), e.id(), c.userId(), System.currentTimeMillis());
    return room.stillAdmitted(e.id(), c.userId());
  }

  private int perUser(Event e) {
    return e.rateLimitUser() != null ? e.rateLimitUser() : defaults.perUser();
  }

  private int perIp(Event e) {
    return e.rateLimitIp() != null ? e.rateLimitIp() : defaults.perIp();
  }
}
