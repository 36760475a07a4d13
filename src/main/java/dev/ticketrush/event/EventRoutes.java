package dev.ticketrush.event;

import dev.ticketrush.web.Authn;
import dev.ticketrush.web.Json;
import dev.ticketrush.web.WebModule;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.function.Function;

/** Create and read events and their layout. */
public final class EventRoutes implements WebModule {
  private final EventCatalog events;
  private final Authn authn;
  private final Function<Event, Future<Void>> onCreated;
  private final long defaultHoldTtlMs;

  /**
   * @param onCreated what must exist before a new event is announced (its seat state); the composition root
   *                  wires it to the seat service, which this feature does not know
   */
  public EventRoutes(EventCatalog events, Authn authn, Function<Event, Future<Void>> onCreated, long defaultHoldTtlMs) {
    this.events = events;
    this.authn = authn;
    this.onCreated = onCreated;
    this.defaultHoldTtlMs = defaultHoldTtlMs;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("createEvent").addHandler(Json.async(this::create));
    builder.getRoute("getEvent").addHandler(Json.async(this::get));
    builder.getRoute("getLayout").addHandler(Json.async(this::layout));
  }

  private Future<?> create(RoutingContext ctx) {
    return authn.admin(ctx).compose(admin -> {
      NewEvent draft = NewEvent.parse(ctx.body().asJsonObject(), defaultHoldTtlMs);
      return events.repository().insert(draft, admin.userId());
    }).compose(e -> onCreated.apply(e).map(e))
        .compose(e -> {
          events.remember(e);
          ctx.response().putHeader("Location", "/api/events/" + e.id());
          return Json.send(ctx, 201, e.toJson());
        });
  }

  private Future<?> get(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(e -> Json.send(ctx, 200, e.toJson()));
  }

  private Future<?> layout(RoutingContext ctx) {
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
}
