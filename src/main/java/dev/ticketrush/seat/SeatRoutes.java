package dev.ticketrush.seat;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.web.Caller;
import dev.ticketrush.web.Gate;
import dev.ticketrush.web.Json;
import dev.ticketrush.web.OutcomeTable;
import dev.ticketrush.web.WebModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Hold (chosen seats or best available), release and list holds, and the seat snapshot. Every operation goes
 * through the {@link SeatService}.
 */
public final class SeatRoutes implements WebModule {
  private final EventCatalog events;
  private final SeatService seats;
  private final Gate<Event> gate;
  private final SnapshotCache snapshots;

  /** ticketrush_holds_total{outcome}, looked up once instead of per request. */
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  /** ticketrush_holds_best_total{outcome}: best-available answers (held, seats_not_available, hold_limit). */
  private final Map<Outcome, Counter> bestOutcomes = new EnumMap<>(Outcome.class);
  private final MeterRegistry metrics;

  public SeatRoutes(EventCatalog events, SeatService seats, SnapshotCache snapshots, Gate<Event> gate, MeterRegistry metrics) {
    this.events = events;
    this.seats = seats;
    this.snapshots = snapshots;
    this.gate = gate;
    this.metrics = metrics;
    for (Outcome o : List.of(Outcome.HELD, Outcome.SEAT_UNAVAILABLE, Outcome.HOLD_LIMIT, Outcome.INVALID_REQUEST)) {
      count(o, 0);
    }
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("getSeats").addHandler(Json.async(this::snapshot));
    builder.getRoute("createHold").addHandler(Json.async(ctx -> gate.limited(ctx, this::hold)));
    builder.getRoute("createBestHold").addHandler(Json.async(ctx -> gate.limited(ctx, this::best)));
    builder.getRoute("releaseHold").addHandler(Json.async(ctx -> gate.limited(ctx, this::release)));
    builder.getRoute("getMyHolds").addHandler(Json.async(ctx -> gate.authenticated(ctx, this::mine)));
  }

  private Future<?> snapshot(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(snapshots::body)
        .compose(body -> {
          ctx.response().putHeader("Cache-Control", "no-store");
          return Json.send(ctx, 200, body);
        });
  }

  /** Header of a presale access code. */
  public static final String ACCESS_CODE_HEADER = "X-Access-Code";

  /**
   * The caller's presale access (the code of header {@code X-Access-Code}, the event's reservations). A value that
   * cannot be a code is refused like an unknown code, before any script runs.
   */
  private Access access(RoutingContext ctx, Event e) {
    String presented = ctx.request().getHeader(ACCESS_CODE_HEADER);
    if (presented == null) {
      return Access.of(e, null);
    }
    String hash = AccessCodes.hashOf(presented);
    if (hash == null) {
      count(Outcome.ACCESS_CODE_INVALID, 1);
      throw Rejection.of(Outcome.ACCESS_CODE_INVALID, "X-Access-Code: not an access code of this event");
    }
    return Access.of(e, hash);
  }

  private Future<?> hold(RoutingContext ctx, Event e, Caller caller) {
    List<Integer> wanted = e.seatIds(ctx.body().asJsonObject().getJsonArray("seats"));
    Access access = access(ctx, e);
    return seats.hold(e.id(), caller.userId(), wanted, e.holdTtlMs(), e.maxSeatsPerUser(), e.seatCount(), access).compose(r -> {
      count(r.outcome(), 1);
      return switch (r.outcome()) {
        case HELD -> Json.send(ctx, OutcomeTable.status(Outcome.HELD), new JsonObject()
            .put("seats", new JsonArray(new ArrayList<>(wanted)))
            .put("expiresAt", Instant.ofEpochMilli(r.expiresAt()).toString()));
        case SEAT_UNAVAILABLE -> Future.failedFuture(Rejection.of(Outcome.SEAT_UNAVAILABLE,
                "seats " + r.seats() + " are held by someone else or sold; nothing was held")
            .with("seats", new JsonArray(new ArrayList<>(r.seats()))));
        case HOLD_LIMIT -> Future.failedFuture(Rejection.of(Outcome.HOLD_LIMIT,
                "you hold " + r.seats().get(0) + " seats; at most " + e.maxSeatsPerUser() + " per user for this event")
            .with("maxSeatsPerUser", e.maxSeatsPerUser()));
        case SEAT_RESERVED -> Future.failedFuture(Rejection.of(Outcome.SEAT_RESERVED,
                "seats " + r.seats() + " are reserved for a presale until its release; an access code of that "
                    + "allocation (header X-Access-Code) opens them; nothing was held")
            .with("seats", new JsonArray(new ArrayList<>(r.seats()))));
        default -> Future.failedFuture(saleRefusal(r, e, "seats: invalid seat ids"));
      };
    });
  }

  /** The refusals hold and best share: the sale's window, pause and cap (else a bad request). */
  static Rejection saleRefusal(SeatResult r, Event e, String otherwise) {
    return switch (r.outcome()) {
      case TICKET_LIMIT -> Rejection.of(Outcome.TICKET_LIMIT, "at most " + e.sale().maxTicketsPerUser()
              + " tickets per user for this event (holds, purchases being paid and bought seats); you may take "
              + r.seats().get(0) + " more")
          .with("remaining", r.seats().get(0));
      case SALE_NOT_OPEN -> {
        Instant opens = Instant.ofEpochMilli(r.expiresAt());
        yield Rejection.of(Outcome.SALE_NOT_OPEN, "the sale opens at " + opens)
            .with("opensAt", opens.toString())
            .retryAfter((long) Math.ceil((r.expiresAt() - System.currentTimeMillis()) / 1000.0));
      }
      case SALE_PAUSED -> Rejection.of(Outcome.SALE_PAUSED, "the sale is paused; holds you have and purchases running finish");
      case SALE_CLOSED -> Rejection.of(Outcome.SALE_CLOSED, "the sale has ended");
      case ACCESS_CODE_INVALID -> Rejection.of(Outcome.ACCESS_CODE_INVALID,
          "X-Access-Code: unknown, or already bound to another user; nothing was held");
      default -> Rejection.invalid(otherwise);
    };
  }

  /**
   * Best available: the server picks {@code count} seats side by side (the contract checked 1..100), or places of
   * a standing area, optionally of one {@code category} and at most {@code maxPrice} each.
   */
  private Future<?> best(RoutingContext ctx, Event e, Caller caller) {
    JsonObject body = ctx.body().asJsonObject();
    int count = body.getInteger("count");
    String section = body.getString("section");
    String category = body.getString("category");
    Long maxPrice = body.getLong("maxPrice");
    if (section != null && e.sections().stream().noneMatch(s -> s.name().equals(section))) {
      return Future.failedFuture(Rejection.invalid("section: this event has no section '" + section + "'"));
    }
    if (category != null && e.category(category) == null) {
      return Future.failedFuture(Rejection.invalid("category: this event has no category '" + category + "'"));
    }
    Access access = access(ctx, e);
    return seats.best(e.id(), caller.userId(), count, e.bestCandidates(section, category, maxPrice), e.holdTtlMs(),
            e.maxSeatsPerUser(), access)
        .compose(r -> {
          bestOutcomes.computeIfAbsent(r.outcome(),
              o -> metrics.counter("ticketrush.holds.best", "outcome", o.label())).increment();
          return switch (r.outcome()) {
            case HELD -> Json.send(ctx, OutcomeTable.status(Outcome.HELD), new JsonObject()
                .put("seats", new JsonArray(new ArrayList<>(r.seats())))
                .put("expiresAt", Instant.ofEpochMilli(r.expiresAt()).toString()));
            case SEATS_NOT_AVAILABLE -> Future.failedFuture(Rejection.of(Outcome.SEATS_NOT_AVAILABLE,
                "no " + count + " free seats side by side in one row" + (section == null ? "" : " of section " + section)
                    + (category == null ? "" : " in category " + category)
                    + (maxPrice == null ? "" : " at " + maxPrice + " or less") + "; nothing was held"));
            case HOLD_LIMIT -> Future.failedFuture(Rejection.of(Outcome.HOLD_LIMIT,
                    "you hold " + r.seats().get(0) + " seats; at most " + e.maxSeatsPerUser() + " per user for this event")
                .with("maxSeatsPerUser", e.maxSeatsPerUser()));
            default -> Future.failedFuture(saleRefusal(r, e, "section: unknown section"));
          };
        });
  }

  private Future<?> release(RoutingContext ctx, Event e, Caller caller) {
    long seat = Json.pathLong(ctx, "seatId");
    if (!e.hasSeat(seat)) {
      return Future.failedFuture(Rejection.of(Outcome.HOLD_NOT_FOUND, "you hold no seat " + seat));
    }
    return seats.release(e.id(), caller.userId(), (int) seat).compose(r -> switch (r.outcome()) {
      case RELEASED -> ctx.response().setStatusCode(OutcomeTable.status(Outcome.RELEASED)).end();
      case SEAT_BEING_PAID -> Future.failedFuture(Rejection.of(Outcome.SEAT_BEING_PAID,
          "seat " + seat + " is being paid for right now").retryAfter(1));
      default -> Future.failedFuture(Rejection.of(Outcome.HOLD_NOT_FOUND, "you hold no seat " + seat));
    });
  }

  private Future<?> mine(RoutingContext ctx, Event e, Caller caller) {
    return seats.mine(e.id(), caller.userId()).compose(list -> {
      JsonArray ids = new JsonArray();
      long earliest = Long.MAX_VALUE;
      for (HeldSeat h : list) {
        ids.add(h.seat());
        earliest = Math.min(earliest, h.expiresAtMs());
      }
      JsonObject body = new JsonObject().put("seats", ids);
      body.put("expiresAt", list.isEmpty() ? null : Instant.ofEpochMilli(earliest).toString());
      return Json.send(ctx, 200, body);
    });
  }

  private void count(Outcome outcome, int n) {
    outcomes.computeIfAbsent(outcome, o -> metrics.counter("ticketrush.holds", "outcome", o.label())).increment(n);
  }
}
