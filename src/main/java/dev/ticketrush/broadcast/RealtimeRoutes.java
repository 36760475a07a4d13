package dev.ticketrush.broadcast;

import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.seat.SeatService;
import dev.ticketrush.web.Json;
import dev.ticketrush.web.WebModule;
import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * Real-time routes of one HTTP verticle instance: the seat WebSocket, the SockJS event-bus bridge and the
 * presence count. The patches themselves come from {@link BroadcastVerticle}.
 */
public final class RealtimeRoutes implements WebModule {
  private final EventCatalog events;
  private final PresenceBoard presence;
  private final OriginCheck origin;
  private final WebSocketEndpoint webSockets;
  private final EventBusBridge bridge;
  private final BodyHandler bodies;

  /**
   * @param redis         this event loop's connection (presence, versions for new bridge watchers)
   * @param allowedOrigin {@code *} or a comma-separated list of origins allowed to open sockets
   */
  public RealtimeRoutes(Vertx vertx, EventCatalog events, SeatService seats, RedisLink redis, MeterRegistry registry,
                        String allowedOrigin, int bodyLimitBytes, WatcherLimit limit) {
    RealtimeMetrics metrics = RealtimeMetrics.of(registry);
    LocalWatchers watchers = new LocalWatchers(vertx);
    this.events = events;
    this.presence = new PresenceBoard(redis);
    this.origin = new OriginCheck(allowedOrigin);
    this.webSockets = new WebSocketEndpoint(vertx, events, seats, metrics, watchers, limit);
    this.bridge = new EventBusBridge(vertx, events, redis, metrics, watchers, limit);
    this.bodies = BodyHandler.create(false).setBodyLimit(bodyLimitBytes);
  }

  /** OpenAPI operations (getPresence). */
  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("getPresence").addHandler(Json.async(this::presence));
  }

  /**
   * Non-OpenAPI routes: /ws/events/:eventId and /eventbus/*. They go before the router's root BodyHandler
   * (negative order): reading the body ends an upgrade request, and an ended request can no longer become a
   * WebSocket. SockJS' HTTP transports (xhr_send) still get a body handler of their own.
   */
  @Override
  public void mount(Router router) {
    router.get("/ws/events/:eventId").order(-3).handler(origin).handler(Json.async(webSockets::upgrade));
    router.route("/eventbus/*").order(-2).handler(origin).handler(ctx -> {
      if (ctx.request().canUpgradeToWebSocket()) {
        try {
          WebSocketEndpoint.checkHandshake(ctx);
        } catch (RuntimeException refused) {
          ctx.fail(refused);
          return;
        }
        ctx.next();
      } else {
        bodies.handle(ctx);
      }
    });
    router.route("/eventbus/*").order(-1).subRouter(bridge.router());
  }

  private Future<?> presence(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId"))
        .compose(e -> presence.total(e.id()))
        .compose(active -> {
          ctx.response().putHeader("Cache-Control", "no-store");
          return Json.send(ctx, 200, new JsonObject().put("active", active));
        });
  }
}
