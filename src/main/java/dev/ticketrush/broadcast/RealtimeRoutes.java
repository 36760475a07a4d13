package dev.ticketrush.broadcast;

import dev.ticketrush.Services;
import dev.ticketrush.hold.SeatStore;
import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** WebSocket, SockJS bridge and presence routes. TEMPORARY: being implemented. */
public final class RealtimeRoutes {
  public RealtimeRoutes(Vertx vertx, Services services, SeatStore seats, RedisLink redis) {
  }

  /** OpenAPI operations (getPresence). */
  public void mount(RouterBuilder builder) {
  }

  /** Non-OpenAPI routes: /ws/events/:eventId and /eventbus/*. */
  public void mount(Router router) {
  }
}
