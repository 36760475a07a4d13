package dev.ticketrush.event;

import dev.ticketrush.hold.HoldCommand;
import dev.ticketrush.hold.SeatStore;
import dev.ticketrush.http.Authn;
import dev.ticketrush.http.Json;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.ErrorCode;
import dev.ticketrush.infra.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Create and read events, their layout and their live seat snapshot. */
public final class EventRoutes {
  private final Vertx vertx;
  private final EventCatalog events;
  private final Authn authn;
  private final SeatStore seats;
  private final long defaultHoldTtlMs;

  public EventRoutes(Vertx vertx, EventCatalog events, Authn authn, SeatStore seats, long defaultHoldTtlMs) {
    this.vertx = vertx;
    this.events = events;
    this.authn = authn;
    this.seats = seats;
    this.defaultHoldTtlMs = defaultHoldTtlMs;
  }

  public Future<?> create(RoutingContext ctx) {
    return authn.admin(ctx).compose(admin -> {
      NewEvent draft = NewEvent.parse(ctx.body().asJsonObject(), defaultHoldTtlMs);
      return events.repository().insert(draft, admin.userId());
    }).compose(e -> initSeats(vertx, e).map(e))
        .compose(e -> {
          events.remember(e);
          ctx.response().putHeader("Location", "/api/events/" + e.id());
          return Json.send(ctx, 201, e.toJson());
        });
  }

  /** Starts the event's version counter at 0 in Redis (through HoldVerticle, the only writer of seat state). */
  public static Future<Void> initSeats(Vertx vertx, Event e) {
    return vertx.eventBus().request(Addresses.SEATS_CMD, HoldCommand.init(e.id())).mapEmpty();
  }

  public Future<?> get(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(e -> Json.send(ctx, 200, e.toJson()));
  }

  public Future<?> layout(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(e -> {
      // Layouts never change, so the event id and creation time identify the content.
      String etag = "\"layout-" + e.id() + "-" + e.createdAt().toEpochMilli() + "\"";
      ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", "public, max-age=3600");
      String ifNoneMatch = ctx.request().getHeader("If-None-Match");
      if (ifNoneMatch != null && ifNoneMatch.contains(etag)) {
        return ctx.response().setStatusCode(304).end();
      }
      Buffer body = events.layout(e);
      return Json.send(ctx, 200, body);
    });
  }

  public Future<?> seats(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(e -> seats.snapshot(e.id())
        .compose(s -> {
          ctx.response().putHeader("Cache-Control", "no-store");
          return Json.send(ctx, 200, s.toJson(e.id(), e.seatCount()));
        }));
  }

  public Future<?> mintDevToken(RoutingContext ctx, boolean enabled) {
    if (!enabled) {
      return Future.failedFuture(Problem.of(ErrorCode.NOT_FOUND, "dev tokens are disabled"));
    }
    JsonObject body = ctx.body().asJsonObject();
    String token = authn.mint(body.getString("sub"), body.getJsonArray("roles"), body.getInteger("ttlSeconds", 86_400));
    return Json.send(ctx, 200, new JsonObject().put("token", token));
  }
}
