package dev.ticketrush.web;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * The checks in front of an event's routes, in a fixed order: the event exists (404), the caller is
 * authenticated (401) and, for seat-changing requests, admitted and within rate limits (403, 429). The web
 * layer defines the shape; the waiting-room feature implements it, so routes need not know either.
 *
 * @param <E> the event type of the catalog behind the gate
 */
public interface Gate<E> {
  /** Event and caller checked, then {@code action}. */
  Future<?> authenticated(RoutingContext ctx, Action<E> action);

  /** Event, caller, admission and rate limits checked, then {@code action}. */
  Future<?> limited(RoutingContext ctx, Action<E> action);

  /** A route handler that needs the event and the caller. */
  interface Action<E> {
    Future<?> apply(RoutingContext ctx, E event, Caller caller);
  }
}
