package dev.ticketrush.order;

import dev.ticketrush.Services;
import dev.ticketrush.hold.SeatStore;
import dev.ticketrush.http.Guard;
import io.vertx.core.Vertx;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** Order routes. TEMPORARY: being implemented. */
public final class OrderRoutes {
  public OrderRoutes(Vertx vertx, Services services, SeatStore seats) {
  }

  public static void mount(RouterBuilder builder, OrderRoutes routes, Guard guard) {
  }
}
