package dev.ticketrush.broadcast;

import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.seat.SeatService;
import dev.ticketrush.web.Json;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.web.RequestFault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /ws/events/:eventId?since=V}: checks the request (unknown event: 404 problem, before any upgrade),
 * upgrades, and attaches the socket to its event's {@link EventChannel} on this event loop.
 */
final class WebSocketEndpoint {
  /** Watchers come and go by the thousand per minute in a rush; a few seconds frees places. */
  static final int RETRY_AFTER_S = 5;
  private final Vertx vertx;
  private final EventCatalog events;
  private final SeatService seats;
  private final RealtimeMetrics metrics;
  private final LocalWatchers watchers;
  private final WatcherLimit limit;
  private final Map<Long, EventChannel> channels = new HashMap<>();

  WebSocketEndpoint(Vertx vertx, EventCatalog events, SeatService seats, RealtimeMetrics metrics, LocalWatchers watchers,
                    WatcherLimit limit) {
    this.vertx = vertx;
    this.limit = limit;
    this.events = events;
    this.seats = seats;
    this.metrics = metrics;
    this.watchers = watchers;
  }

  Future<?> upgrade(RoutingContext ctx) {
    long eventId = Json.pathLong(ctx, "eventId");
    if (eventId < 1) {
      throw Rejection.invalid("eventId must be at least 1");
    }
    Long since = since(ctx);
    HttpServerRequest req = ctx.request();
    if (!req.canUpgradeToWebSocket()) {
      throw Rejection.invalid("this path only speaks WebSocket (send Upgrade: websocket)");
    }
    checkHandshake(ctx);
    // The end of a GET arrives with its headers; once delivered, the request can no longer become a WebSocket.
    // Hold it back while the event is looked up (a database read when this node has not seen the event yet).
    req.pause();
    return events.get(eventId)
        .compose(e -> {
          if (!limit.tryTake(false)) {
            return Future.failedFuture(Rejection.of(Outcome.WATCHERS_FULL,
                "this node serves the most watchers it may; try again later").retryAfter(RETRY_AFTER_S));
          }
          return req.toWebSocket().onFailure(err -> limit.release());
        })
        .onFailure(err -> req.resume())
        .map(ws -> {
          attach(eventId, ws, since);
          return null;
        });
  }

  private void attach(long eventId, ServerWebSocket ws, Long since) {
    EventChannel channel = channels.computeIfAbsent(eventId, id -> new EventChannel(vertx, id, seats, metrics));
    SeatWebSocket socket = new SeatWebSocket(vertx, ws, channel);
    metrics.clientOpened();
    boolean[] counted = {false};
    ws.exceptionHandler(err -> {
      // A broken connection ends in closeHandler as well; nothing to add here.
    });
    ws.closeHandler(v -> {
      limit.release();
      socket.closed();
      channel.remove(socket);
      metrics.clientClosed();
      if (counted[0]) {
        watchers.remove(eventId);
      }
      if (channel.isEmpty() && channels.get(eventId) == channel) {
        channels.remove(eventId);
        channel.close();
      }
    });
    channel.add(socket);
    socket.start(since, () -> {
      // Counted (and the tail asked for) only once the client has a version, so the tail can start right after it.
      counted[0] = true;
      watchers.add(eventId);
      watchers.watch(eventId, socket.version());
    });
  }

  /**
   * The handshake headers Netty would refuse with a plain-text 400 or an empty 426: refused here first, as
   * problem JSON. Only version 13 (RFC 6455) is spoken.
   */
  static void checkHandshake(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!"13".equals(req.getHeader("Sec-WebSocket-Version"))) {
      ctx.response().putHeader("Sec-WebSocket-Version", "13");
      throw RequestFault.UPGRADE_REQUIRED.refuse("send Sec-WebSocket-Version: 13");
    }
    String key = req.getHeader("Sec-WebSocket-Key");
    if (key == null || req.headers().getAll("Sec-WebSocket-Key").size() != 1 || !KEY.matcher(key).matches()) {
      throw Rejection.invalid("send one Sec-WebSocket-Key: 16 random bytes in base64");
    }
  }

  private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[A-Za-z0-9+/]{22}==");

  private static Long since(RoutingContext ctx) {
    String raw = ctx.request().getParam("since");
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return Json.plainDecimal(raw);
    } catch (NumberFormatException e) {
      throw Rejection.invalid("since must be an integer version");
    }
  }
}
