package dev.ticketrush.ticket;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.web.Caller;
import dev.ticketrush.web.Gate;
import dev.ticketrush.web.Json;
import dev.ticketrush.web.WebModule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** The public ticket keys, a holder's tickets, and the door: check-in and the door apps' sync. */
public final class TicketRoutes implements WebModule {
  private final EventCatalog events;
  private final TicketBook book;
  private final Gate<Event> gate;

  public TicketRoutes(EventCatalog events, TicketBook book, Gate<Event> gate) {
    this.events = events;
    this.book = book;
    this.gate = gate;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("getTicketKeys").addHandler(Json.async(this::keys));
    builder.getRoute("getMyTickets").addHandler(Json.async(ctx -> gate.authenticated(ctx, this::mine)));
    builder.getRoute("checkIn").addHandler(Json.async(ctx -> gate.authenticated(ctx, this::checkIn)));
    builder.getRoute("getCheckins").addHandler(Json.async(ctx -> gate.authenticated(ctx, this::checkins)));
  }

  private Future<?> keys(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(e -> {
      // Public keys only, the same for every event; scanners cache them and verify offline.
      ctx.response().putHeader("Cache-Control", "public, max-age=300");
      return Json.send(ctx, 200, book.keys().jwks());
    });
  }

  private Future<?> mine(RoutingContext ctx, Event e, Caller caller) {
    return book.byHolder(e.id(), caller.userId(), e::labelOf).compose(list -> {
      JsonArray out = new JsonArray();
      list.forEach(t -> out.add(t.toJson()));
      return Json.send(ctx, 200, new JsonObject().put("tickets", out));
    });
  }

  private Future<?> checkIn(RoutingContext ctx, Event e, Caller caller) {
    requireDoorRole(caller);
    String code = ctx.body().asJsonObject().getString("code");
    TicketClaims claims = book.keys().verify(code);
    if (claims == null || claims.eventId() != e.id() || !e.hasSeat(claims.seat())) {
      return Future.failedFuture(Rejection.of(Outcome.TICKET_INVALID,
          claims == null ? "the code is not a ticket signed by this service" : "the ticket is for another event"));
    }
    return book.checkIn(claims, e::labelOf).compose(scan -> {
      Ticket t = scan.ticket();
      return switch (scan.result()) {
        case ADMITTED -> Json.send(ctx, 200, new JsonObject().put("ticket", t.toJson())
            .put("checkedInAt", t.checkedInAt().toString()));
        case ALREADY_USED -> Future.failedFuture(Rejection.of(Outcome.ALREADY_CHECKED_IN,
            "ticket " + t.label() + " was checked in at " + t.checkedInAt())
            .with("checkedInAt", t.checkedInAt().toString()));
        case VOID -> Future.failedFuture(Rejection.of(Outcome.TICKET_VOID,
            "ticket " + t.label() + " is void (its order was cancelled or the ticket transferred)"));
        case UNKNOWN -> Future.failedFuture(Rejection.of(Outcome.TICKET_INVALID, "no such ticket"));
      };
    });
  }

  private Future<?> checkins(RoutingContext ctx, Event e, Caller caller) {
    requireDoorRole(caller);
    String since = ctx.request().getParam("since");
    long cursor = 0;
    if (since != null) {
      if (!since.matches("[0-9]{1,18}")) {
        throw Rejection.invalid("since must be a cursor from an earlier answer (digits)");
      }
      cursor = Long.parseLong(since);
    }
    return book.checkins(e.id(), cursor, e::labelOf).compose(body -> Json.send(ctx, 200, body));
  }

  private static void requireDoorRole(Caller caller) {
    if (!caller.roles().contains("scanner") && !caller.isAdmin()) {
      throw Rejection.of(Outcome.FORBIDDEN, "checking tickets in needs the scanner or admin role");
    }
  }
}
