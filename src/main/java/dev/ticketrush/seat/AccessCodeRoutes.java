package dev.ticketrush.seat;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.web.Authn;
import dev.ticketrush.web.Json;
import dev.ticketrush.web.WebModule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/events/{id}/access-codes} (admin): mints presale codes of one allocation. PostgreSQL first
 * (the durable copy), then Redis' hot copy the hold scripts check; the codes are answered only once both have
 * them. If Redis fails the answer is 503 and the unseen codes stay unusable in PostgreSQL (nobody knows them).
 */
public final class AccessCodeRoutes implements WebModule {
  private final EventCatalog events;
  private final Authn authn;
  private final AccessCodes codes;
  private final SeatService seats;

  public AccessCodeRoutes(EventCatalog events, Authn authn, AccessCodes codes, SeatService seats) {
    this.events = events;
    this.authn = authn;
    this.codes = codes;
    this.seats = seats;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("createAccessCodes").addHandler(Json.async(this::mint));
  }

  private Future<?> mint(RoutingContext ctx) {
    long id = Json.pathLong(ctx, "eventId");
    return authn.admin(ctx).compose(admin -> events.get(id)).compose(e -> {
      JsonObject body = ctx.body().asJsonObject();
      String allocation = body.getString("allocation");
      int count = body.getInteger("count");
      if (e.allocation(allocation) == null) {
        return Future.failedFuture(Rejection.invalid("allocation: this event has no allocation '" + allocation + "'"));
      }
      if (count < 1 || count > AccessCodes.MAX_PER_CALL) {
        return Future.failedFuture(Rejection.invalid("count: 1.." + AccessCodes.MAX_PER_CALL + " per call"));
      }
      return codes.mint(e.id(), allocation, count).compose(minted -> hot(e, allocation, minted).compose(v ->
          Json.send(ctx, 201, new JsonObject().put("allocation", allocation)
              .put("codes", new JsonArray(new ArrayList<>(minted))))));
    });
  }

  private Future<Void> hot(Event e, String allocation, List<String> minted) {
    List<AccessCodeStore.Stored> stored = new ArrayList<>(minted.size());
    for (String code : minted) {
      stored.add(new AccessCodeStore.Stored(AccessCodes.hashOf(code), allocation, null));
    }
    return seats.addCodes(e.id(), stored);
  }
}
