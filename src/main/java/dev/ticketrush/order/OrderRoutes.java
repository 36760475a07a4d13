package dev.ticketrush.order;

import dev.ticketrush.Services;
import dev.ticketrush.event.Event;
import dev.ticketrush.hold.HoldRoutes;
import dev.ticketrush.hold.SeatStore;
import dev.ticketrush.http.Caller;
import dev.ticketrush.http.Guard;
import dev.ticketrush.http.Json;
import dev.ticketrush.infra.ErrorCode;
import dev.ticketrush.infra.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.List;
import java.util.UUID;

/** Place and read orders. */
public final class OrderRoutes {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final OrderService service;
  private final OrderRepository orders;

  public OrderRoutes(Vertx vertx, Services services, SeatStore seats) {
    this.orders = new OrderRepository(services.pool());
    this.service = new OrderService(vertx, orders, services.payments(), services.metrics(), services.config().paymentWindowMs());
  }

  public static void mount(RouterBuilder builder, OrderRoutes routes, Guard guard) {
    // Authenticate first (401), then insist on the key (400), then admission and rate limits.
    builder.getRoute("createOrder").addHandler(Json.async(ctx -> guard.authenticated(ctx, (c, e, caller) -> {
      requireKey(ctx);
      return guard.limited(ctx, routes::place);
    })));
    builder.getRoute("getMyOrders").addHandler(Json.async(ctx -> guard.authenticated(ctx, routes::mine)));
    builder.getRoute("getOrder").addHandler(Json.async(ctx -> guard.authn().caller(ctx).compose(c -> routes.one(ctx, c))));
  }

  static String requireKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null || key.isEmpty()) {
      throw Problem.of(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, "send an Idempotency-Key header (1..64 characters) with every order");
    }
    if (key.length() > 64 || !key.chars().allMatch(ch -> ch > 32 && ch < 127)) {
      throw Problem.invalid("Idempotency-Key must be 1..64 visible ASCII characters");
    }
    return key;
  }

  Future<?> place(RoutingContext ctx, Event e, Caller caller) {
    String key = requireKey(ctx);
    JsonObject body = ctx.body().asJsonObject();
    List<Integer> seats = HoldRoutes.seatIds(body.getJsonArray("seats"), e);
    return service.place(e, caller.userId(), key, seats, body.getString("paymentToken")).compose(answer -> {
      if (answer.replayed()) {
        ctx.response().putHeader("Idempotent-Replayed", "true");
      }
      return ctx.response()
          .setStatusCode(answer.status())
          .putHeader("Content-Type", answer.status() >= 400 ? Problem.CONTENT_TYPE : "application/json")
          .end(answer.body());
    });
  }

  Future<?> mine(RoutingContext ctx, Event e, Caller caller) {
    return orders.byUser(e.id(), caller.userId()).compose(list -> {
      JsonArray out = new JsonArray();
      list.forEach(o -> out.add(o.toJson()));
      return Json.send(ctx, 200, new JsonObject().put("orders", out));
    });
  }

  Future<?> one(RoutingContext ctx, Caller caller) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("orderId"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Problem.of(ErrorCode.ORDER_NOT_FOUND, "no order " + ctx.pathParam("orderId")));
    }
    return orders.find(id).compose(o -> o == null || !o.userId().equals(caller.userId())
        // Someone else's order is answered exactly like a missing one: ids leak nothing.
        ? Future.failedFuture(Problem.of(ErrorCode.ORDER_NOT_FOUND, "no order " + id))
        : Json.send(ctx, 200, o.toJson()));
  }
}
