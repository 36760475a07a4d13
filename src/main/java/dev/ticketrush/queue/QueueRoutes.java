package dev.ticketrush.queue;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.event.QueueSettings;
import dev.ticketrush.web.Caller;
import dev.ticketrush.web.Gate;
import dev.ticketrush.web.Json;
import dev.ticketrush.web.WebModule;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Waiting-room routes: {@code joinQueue} and {@code getQueuePosition}. An event without a queue admits
 * everyone at once: the answer is an admission whose token nothing requires ({@code tokenRequired: false}),
 * so one client flow fits every event.
 */
public final class QueueRoutes implements WebModule {
  private final EventCatalog events;
  private final Gate<Event> guard;
  private final WaitingRoom room;
  private final EntryTokens entryTokens;
  private final JoinChallenges challenges;
  /** Published draws by event: final once drawn, and costly (one HMAC per entrant), so computed once. */
  private final Map<Long, JsonObject> draws = new ConcurrentHashMap<>();

  public QueueRoutes(EventCatalog events, Gate<Event> guard, WaitingRoom room, EntryTokens entryTokens,
                     JoinChallenges challenges) {
    this.challenges = challenges;
    this.events = events;
    this.guard = guard;
    this.room = room;
    this.entryTokens = entryTokens;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("joinQueue").addHandler(Json.async(ctx -> guard.authenticated(ctx, this::join)));
    builder.getRoute("getQueuePosition").addHandler(Json.async(ctx -> guard.authenticated(ctx, this::position)));
    builder.getRoute("getQueueDraw").addHandler(Json.async(this::draw));
    builder.getRoute("getQueueChallenge").addHandler(Json.async(ctx -> guard.authenticated(ctx, this::challenge)));
    builder.getRoute("leaveQueue").addHandler(Json.async(ctx -> guard.authenticated(ctx, this::leave)));
  }

  /** Idempotent: leaving twice, or a room never joined, is the same 204. */
  private Future<?> leave(RoutingContext ctx, Event e, Caller c) {
    Future<Boolean> left = e.queue().enabled() ? room.leave(e.id(), c.userId()) : Future.succeededFuture(false);
    return left.compose(x -> ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end());
  }

  /** Public: the commitment, and after the draw the secret and the sorted entrant values. */
  private Future<?> draw(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(e -> {
      JsonObject done = draws.get(e.id());
      Future<JsonObject> body = done != null ? Future.succeededFuture(done) : room.draw(e.id()).compose(d -> {
        if (!d.drawn()) {
          return Future.succeededFuture(d.toJson());
        }
        return ctx.vertx().executeBlocking(d::toJson, false).onSuccess(j -> draws.put(e.id(), j));
      });
      return body.compose(j -> {
        ctx.response().putHeader("Cache-Control", j.containsKey("secret") ? "public, max-age=60" : "no-store");
        return Json.send(ctx, 200, j);
      });
    });
  }

  private Future<?> join(RoutingContext ctx, Event e, Caller c) {
    if (!e.queue().enabled()) {
      return answer(ctx, e, c, new QueueStatus.Admitted(System.currentTimeMillis() + e.queue().entryTtlSeconds() * 1000L));
    }
    int difficulty = e.queue().proofOfWork();
    Future<Void> paid = Future.succeededFuture();
    if (difficulty > 0) {
      JsonObject body = ctx.body().length() > 0 ? ctx.body().asJsonObject() : new JsonObject();
      paid = challenges.redeem(e.id(), c.userId(), text(body, "challenge"), text(body, "nonce"), difficulty);
    }
    return paid.compose(v -> room.join(e.id(), e.queue(), c.userId())).compose(s -> answer(ctx, e, c, s));
  }

  private static String text(JsonObject body, String name) {
    return body.getValue(name) instanceof String s ? s : null;
  }

  private Future<?> challenge(RoutingContext ctx, Event e, Caller c) {
    return challenges.issue(e.id(), c.userId(), e.queue().proofOfWork()).compose(ch -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      return Json.send(ctx, 200, new JsonObject().put("challenge", ch.challenge()).put("difficulty", ch.difficulty())
          .put("expiresAt", Instant.ofEpochMilli(ch.expiresAtMs()).toString()));
    });
  }

  private Future<?> position(RoutingContext ctx, Event e, Caller c) {
    if (!e.queue().enabled()) {
      return join(ctx, e, c);
    }
    return room.position(e.id(), c.userId()).compose(s -> {
      if (s instanceof QueueStatus.Lapsed) {
        return Future.failedFuture(Rejection.of(Outcome.QUEUE_NOT_JOINED,
            "your admission lapsed (entry token expired or no activity for " + room.tuning().idleMs() / 1000
                + " s): POST /api/events/" + e.id() + "/queue to join again"));
      }
      if (s instanceof QueueStatus.Absent) {
        return Future.failedFuture(Rejection.of(Outcome.QUEUE_NOT_JOINED,
            "you are not in this event's queue: POST /api/events/" + e.id() + "/queue to join"));
      }
      return answer(ctx, e, c, s);
    });
  }

  private Future<Void> answer(RoutingContext ctx, Event e, Caller c, QueueStatus s) {
    ctx.response().putHeader("Cache-Control", "no-store");
    JsonObject body;
    if (s instanceof QueueStatus.Admitted a) {
      body = new JsonObject()
          .put("admitted", true)
          .put("entryToken", entryTokens.issue(e.id(), c.userId(), a.expiresAtMs()))
          .put("expiresAt", Instant.ofEpochMilli(a.expiresAtMs()).toString())
          .put("tokenRequired", e.queue().enabled());
    } else {
      QueueStatus.Waiting w = (QueueStatus.Waiting) s;
      body = new JsonObject()
          .put("position", w.ahead())
          .put("admitted", false)
          .put("etaSeconds", etaSeconds(w, e.queue()))
          .put("serving", w.served())
          .put("preQueue", w.provisional());
      if (w.provisional()) {
        body.put("saleStartsAt", e.queue().saleStartsAt().toString());
      }
    }
    return Json.send(ctx, 200, body);
  }

  /**
   * People ahead (plus the caller) over the admission rate measured in the last 30 s, or over
   * {@code admitPerSecond} while there is no measurement (first seconds, pre-queue, nobody admitted lately);
   * a pre-queue place also waits for the sale to start.
   */
  static long etaSeconds(QueueStatus.Waiting w, QueueSettings q) {
    double rate = w.measuredRate() > 0 ? w.measuredRate() : q.admitPerSecond();
    long eta = (long) Math.ceil((w.ahead() + 1) / rate);
    if (w.provisional() && q.saleStartsAt() != null) {
      eta += Math.max(0, (long) Math.ceil((q.saleStartsAt().toEpochMilli() - w.nowMs()) / 1000.0));
    }
    return eta;
  }
}
