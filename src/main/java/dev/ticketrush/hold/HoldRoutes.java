package dev.ticketrush.hold;

import dev.ticketrush.event.Event;
import dev.ticketrush.http.Caller;
import dev.ticketrush.http.Json;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.ErrorCode;
import dev.ticketrush.infra.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Hold, release and list holds. Writes go to HoldVerticle over the event bus; reads use the local store. */
public final class HoldRoutes {
  private final Vertx vertx;
  private final SeatStore seats;

  /** ticketrush_holds_total{outcome}, looked up once instead of per request. */
  private final java.util.Map<SeatOutcome, Counter> outcomes = new java.util.EnumMap<>(SeatOutcome.class);

  public HoldRoutes(Vertx vertx, SeatStore seats, MeterRegistry metrics) {
    this.vertx = vertx;
    this.seats = seats;
    for (SeatOutcome o : SeatOutcome.values()) {
      outcomes.put(o, metrics.counter("ticketrush.holds", "outcome", o.name().toLowerCase()));
    }
  }

  public Future<?> hold(RoutingContext ctx, Event e, Caller caller) {
    List<Integer> wanted = seatIds(ctx.body().asJsonObject().getJsonArray("seats"), e);
    JsonObject cmd = HoldCommand.hold(e.id(), caller.userId(), wanted, e.holdTtlMs(), e.maxSeatsPerUser(), e.seatCount());
    return vertx.eventBus().<JsonObject>request(Addresses.SEATS_CMD, cmd).compose(msg -> {
      SeatResult r = SeatResult.fromJson(msg.body());
      outcomes.get(r.outcome()).increment();
      return switch (r.outcome()) {
        case OK -> Json.send(ctx, 201, new JsonObject()
            .put("seats", new JsonArray(new ArrayList<>(wanted)))
            .put("expiresAt", Instant.ofEpochMilli(r.expiresAt()).toString()));
        case UNAVAILABLE -> Future.failedFuture(Problem.of(ErrorCode.SEAT_UNAVAILABLE,
            "seats " + r.seats() + " are held by someone else or sold; nothing was held").with("seats", new JsonArray(new ArrayList<>(r.seats()))));
        case LIMIT -> Future.failedFuture(Problem.of(ErrorCode.HOLD_LIMIT,
            "you hold " + r.seats().get(0) + " seats; at most " + e.maxSeatsPerUser() + " per user for this event")
            .with("maxSeatsPerUser", e.maxSeatsPerUser()));
        default -> Future.failedFuture(Problem.invalid("seats: invalid seat ids"));
      };
    });
  }

  public Future<?> release(RoutingContext ctx, Event e, Caller caller) {
    long seat = Json.pathLong(ctx, "seatId");
    if (!e.hasSeat(seat)) {
      return Future.failedFuture(Problem.of(ErrorCode.HOLD_NOT_FOUND, "you hold no seat " + seat));
    }
    return vertx.eventBus().<JsonObject>request(Addresses.SEATS_CMD, HoldCommand.release(e.id(), caller.userId(), (int) seat))
        .compose(msg -> switch (SeatResult.fromJson(msg.body()).outcome()) {
          case OK -> ctx.response().setStatusCode(204).end();
          case PAYING -> Future.failedFuture(Problem.of(ErrorCode.REQUEST_IN_PROGRESS,
              "seat " + seat + " is being paid for right now").retryAfter(1));
          default -> Future.failedFuture(Problem.of(ErrorCode.HOLD_NOT_FOUND, "you hold no seat " + seat));
        });
  }

  public Future<?> mine(RoutingContext ctx, Event e, Caller caller) {
    return seats.mine(e.id(), caller.userId()).compose(list -> {
      JsonArray ids = new JsonArray();
      long earliest = Long.MAX_VALUE;
      for (long[] pair : list) {
        ids.add((int) pair[0]);
        earliest = Math.min(earliest, pair[1]);
      }
      JsonObject body = new JsonObject().put("seats", ids);
      body.put("expiresAt", list.isEmpty() ? null : Instant.ofEpochMilli(earliest).toString());
      return Json.send(ctx, 200, body);
    });
  }

  /** Seat ids of a request body; the contract checked types, range 1..100000 and uniqueness. */
  public static List<Integer> seatIds(JsonArray array, Event e) {
    List<Integer> ids = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      int id = array.getInteger(i);
      if (!e.hasSeat(id)) {
        throw Problem.invalid("seats[" + i + "]: seat " + id + " does not exist; this event has seats 1.." + e.seatCount());
      }
      ids.add(id);
    }
    return ids;
  }
}
