package dev.ticketrush.order;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.web.StorableText;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.seat.SeatService;
import dev.ticketrush.ticket.TicketBook;
import dev.ticketrush.web.Authn;
import dev.ticketrush.web.Caller;
import dev.ticketrush.web.Gate;
import dev.ticketrush.web.Json;
import dev.ticketrush.web.OutcomeTable;
import dev.ticketrush.web.ProblemHandler;
import dev.ticketrush.web.WebModule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.List;
import java.util.UUID;

/** Place and read orders. */
public final class OrderRoutes implements WebModule {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrderRoutes.class);
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final PurchaseService service;
  private final PurchaseRepository orders;
  private final Gate<Event> gate;
  private final Authn authn;
  private final SaleAudit audit;
  private final EventCatalog events;
  private final TicketBook tickets;
  private final CancelService cancellations;
  private final SeatService seats;

  public OrderRoutes(PurchaseService service, PurchaseRepository orders, Gate<Event> gate, Authn authn, SaleAudit audit,
                     EventCatalog events, TicketBook tickets, CancelService cancellations, SeatService seats) {
    this.cancellations = cancellations;
    this.seats = seats;
    this.events = events;
    this.tickets = tickets;
    this.service = service;
    this.orders = orders;
    this.gate = gate;
    this.authn = authn;
    this.audit = audit;
  }

  @Override
  public void mount(RouterBuilder builder) {
    // Authenticate first (401), then insist on the key (400), then admission and rate limits.
    builder.getRoute("createOrder").addHandler(Json.async(ctx -> gate.authenticated(ctx, (c, e, caller) -> {
      requireKey(ctx);
      return gate.limited(ctx, this::place);
    })));
    builder.getRoute("getMyOrders").addHandler(Json.async(ctx -> gate.authenticated(ctx, this::mine)));
    builder.getRoute("getOrder").addHandler(Json.async(ctx -> authn.caller(ctx).compose(c -> one(ctx, c))));
    builder.getRoute("cancelOrder").addHandler(Json.async(ctx -> authn.caller(ctx).compose(c -> cancel(ctx, c))));
    builder.getRoute("transferTicket").addHandler(Json.async(ctx -> authn.caller(ctx).compose(c -> transfer(ctx, c))));
    builder.getRoute("getAudit").addHandler(Json.async(ctx -> gate.authenticated(ctx, (c, e, caller) -> caller.isAdmin()
        ? audit.audit(e.id()).compose(report -> Json.send(ctx, 200, report))
        : Future.failedFuture(Rejection.of(Outcome.FORBIDDEN, "the audit needs the admin role")))));
  }

  static String requireKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null || key.isEmpty()) {
      throw Rejection.of(Outcome.IDEMPOTENCY_KEY_REQUIRED, "send an Idempotency-Key header (1..64 characters) with every order");
    }
    if (key.length() > 64 || !key.chars().allMatch(ch -> ch > 32 && ch < 127)) {
      throw Rejection.invalid("Idempotency-Key must be 1..64 visible ASCII characters");
    }
    return key;
  }

  private Future<?> place(RoutingContext ctx, Event e, Caller caller) {
    String key = requireKey(ctx);
    JsonObject body = ctx.body().asJsonObject();
    List<Integer> seats = e.seatIds(body.getJsonArray("seats"));
    String paymentToken = StorableText.check("paymentToken", body.getString("paymentToken"));
    return service.place(e, caller.userId(), key, seats, paymentToken).compose(answer -> {
      if (answer.replayed()) {
        ctx.response().putHeader("Idempotent-Replayed", "true");
      }
      if (answer.outcome() != Outcome.ORDER_CONFIRMED) {
        // A stored refusal (a decline) is answered as the same problem every time: outcome plus stored detail.
        Rejection refusal = Rejection.of(answer.outcome(), answer.body());
        if (answer.outcome() == Outcome.TICKET_LIMIT && TicketLimitDetail.remaining(answer.body()).isPresent()) {
          refusal = refusal.with("remaining", TicketLimitDetail.remaining(answer.body()).getAsInt());
        }
        ProblemHandler.send(ctx, refusal);
        return Future.succeededFuture();
      }
      return ctx.response()
          .setStatusCode(OutcomeTable.status(answer.outcome()))
          .putHeader("Content-Type", "application/json")
          .end(OrderItems.withItems(e, new JsonObject(answer.body())).encode());
    });
  }

  private Future<?> mine(RoutingContext ctx, Event e, Caller caller) {
    return orders.byUser(e.id(), caller.userId()).compose(list -> {
      JsonArray out = new JsonArray();
      list.forEach(o -> out.add(o.toJson().put("items", OrderItems.of(e, o.seats()))));
      return Json.send(ctx, 200, new JsonObject().put("orders", out));
    });
  }

  private Future<?> one(RoutingContext ctx, Caller caller) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("orderId"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Rejection.of(Outcome.ORDER_NOT_FOUND, "no order " + ctx.pathParam("orderId")));
    }
    return orders.find(id).compose(o -> o == null || !o.userId().equals(caller.userId())
        // Someone else's order is answered exactly like a missing one: ids leak nothing.
        ? Future.failedFuture(Rejection.of(Outcome.ORDER_NOT_FOUND, "no order " + id))
        : withTickets(o).compose(json -> Json.send(ctx, 200, json)));
  }

  /**
   * Cancels an order (its owner until the event's refundableUntil, an admin always): 200 once refunded, 202 while
   * the refund is pending. The answer is the order as it stands after the call, so a replay answers the newer state.
   */
  private Future<?> cancel(RoutingContext ctx, Caller caller) {
    String key = requireKey(ctx);
    UUID id = uuid(ctx, "orderId");
    if (id == null) {
      return Future.failedFuture(Rejection.of(Outcome.ORDER_NOT_FOUND, "no order " + ctx.pathParam("orderId")));
    }
    return cancellations.cancel(id, caller.userId(), caller.isAdmin(), key).compose(answer -> {
      if (answer.replayed()) {
        ctx.response().putHeader("Idempotent-Replayed", "true");
      }
      return orders.find(id).compose(o -> withTickets(o).compose(json -> Json.send(ctx, OutcomeTable.status(
          "CANCELLED".equals(o.status()) ? Outcome.ORDER_CANCELLED : Outcome.ORDER_CANCELLING), json)));
    });
  }

  /** The holder gives a ticket to another user: a new ticket (id, code) for them, the old code void at once. */
  private Future<?> transfer(RoutingContext ctx, Caller caller) {
    UUID orderId = uuid(ctx, "orderId");
    UUID ticketId = uuid(ctx, "ticketId");
    String to = StorableText.check("to", ctx.body().asJsonObject().getString("to"));
    if (to.equals(caller.userId())) {
      throw Rejection.invalid("to: the ticket is already yours");
    }
    Rejection notFound = Rejection.of(Outcome.ORDER_NOT_FOUND, "you hold no ticket " + ctx.pathParam("ticketId")
        + " of order " + ctx.pathParam("orderId"));
    if (orderId == null || ticketId == null) {
      return Future.failedFuture(notFound);
    }
    return tickets.eventOf(orderId, ticketId, caller.userId()).compose(eventId -> eventId == null
        ? Future.failedFuture(notFound)
        : events.get(eventId).compose(e -> tickets.transfer(orderId, ticketId, caller.userId(), to, e::labelOf)))
        .recover(err -> Future.failedFuture(err instanceof TicketBook.OverTicketLimit over
            ? Rejection.of(Outcome.TICKET_LIMIT, to + " already holds this event's maxTicketsPerUser tickets")
                .with("remaining", over.remaining())
            : err))
        .compose(t -> {
          if (t.moved()) {
            // The cap's fast count follows the ticket (a lost update is corrected by the next restore).
            seats.transfer(t.ticket().eventId(), t.ticket().seat(), caller.userId(), to)
                .onFailure(err -> log.warn("owned counts not moved for a transfer in event {}: {}", t.ticket().eventId(),
                    err.toString()));
            return Json.send(ctx, 200, t.ticket().toJson());
          }
          if (t.ticket() == null) {
            return Future.failedFuture(notFound);
          }
          return Future.failedFuture("USED".equals(t.ticket().status())
              ? Rejection.of(Outcome.TICKET_USED, "ticket " + t.ticket().label() + " was checked in: it cannot move")
              : Rejection.of(Outcome.TICKET_VOID, "ticket " + t.ticket().label() + " is void: it cannot move"));
        });
  }

  private static UUID uuid(RoutingContext ctx, String param) {
    try {
      return UUID.fromString(ctx.pathParam(param));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The order as its owner sees it: with its tickets (codes included). */
  private Future<JsonObject> withTickets(Order o) {
    return events.get(o.eventId()).compose(e -> tickets.byOrder(o.id(), o.userId(), e::labelOf).map(list -> {
      JsonArray out = new JsonArray();
      list.forEach(t -> out.add(t.toJson()));
      return o.toJson().put("items", OrderItems.of(e, o.seats())).put("tickets", out);
    }));
  }
}
