package dev.ticketrush.event;

import dev.ticketrush.web.Authn;
import dev.ticketrush.web.Json;
import dev.ticketrush.web.WebModule;
import io.vertx.core.Future;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.function.Function;

/** Create and read events and their layout; change an event's sale settings. */
public final class EventRoutes implements WebModule {
  private final EventCatalog events;
  private final Authn authn;
  private final Function<Event, Future<Void>> onCreated;
  private final Function<Event, Future<Void>> onSaleChanged;
  private final long defaultHoldTtlMs;

  /**
   * @param onCreated     what must exist before a new event is announced (its seat state and sale rules); the
   *                      composition root wires it to the seat service, which this feature does not know
   * @param onSaleChanged where changed sale settings must arrive before the change is confirmed (the rules every
   *                      node's seat scripts decide by)
   */
  public EventRoutes(EventCatalog events, Authn authn, Function<Event, Future<Void>> onCreated,
                     Function<Event, Future<Void>> onSaleChanged, long defaultHoldTtlMs) {
    this.events = events;
    this.authn = authn;
    this.onCreated = onCreated;
    this.onSaleChanged = onSaleChanged;
    this.defaultHoldTtlMs = defaultHoldTtlMs;
  }

  @Override
  public void mount(RouterBuilder builder) {
    builder.getRoute("createEvent").addHandler(Json.async(this::create));
    builder.getRoute("getEvent").addHandler(Json.async(this::get));
    builder.getRoute("patchEvent").addHandler(Json.async(this::patch));
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

  /**
   * Changes the sale settings: PostgreSQL first (the truth, and what a Redis rebuild reads), then the rules in
   * Redis that every node's hold scripts decide by; the answer comes once both hold the change. If the Redis
   * write fails the answer is 503 and the client repeats the PATCH (it is idempotent in effect).
   */
  private Future<?> patch(RoutingContext ctx) {
    long id = Json.pathLong(ctx, "eventId");
    return authn.admin(ctx).compose(admin -> {
      JsonObject b = ctx.body().asJsonObject();
      EventRepository.SaleChange change = new EventRepository.SaleChange(
          b.containsKey("maxTicketsPerUser"), b.getInteger("maxTicketsPerUser"),
          b.containsKey("salesStartAt"), NewEvent.instant(b, "salesStartAt"),
          b.containsKey("salesEndAt"), NewEvent.instant(b, "salesEndAt"),
          b.containsKey("onSale"), b.getBoolean("onSale"),
          b.containsKey("refundableUntil"), NewEvent.instant(b, "refundableUntil"));
      return events.repository().patchSale(id, change).recover(err -> EventRepository.isCheckViolation(err)
          ? Future.failedFuture(Rejection.invalid("salesEndAt must be after salesStartAt"))
          : Future.failedFuture(err));
    }).compose(e -> e == null
            ? Future.failedFuture(Rejection.of(Outcome.EVENT_NOT_FOUND, "no event with id " + id))
            : onSaleChanged.apply(e).map(e))
        .compose(e -> {
          events.update(e);
          return Json.send(ctx, 200, e.toJson());
        });
  }

  /**
   * The layout, pre-compressed: a client that accepts gzip gets the node's one gzipped copy (with
   * {@code Content-Encoding} set, so the server's own compression leaves it alone), any other the plain JSON.
   * The two representations have their own strong ETags; a revalidation with either is a 304.
   */
  private Future<?> layout(RoutingContext ctx) {
    return events.get(Json.pathLong(ctx, "eventId")).compose(e -> {
      // Layouts never change, so the event id and creation time identify the content.
      String tag = "layout-" + e.id() + "-" + e.createdAt().toEpochMilli();
      String plainTag = "\"" + tag + "\"";
      String gzipTag = "\"" + tag + "-gzip\"";
      boolean gzip = acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
      ctx.response()
          .putHeader(HttpHeaders.ETAG, gzip ? gzipTag : plainTag)
          .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
          .putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
      String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
      if (ifNoneMatch != null && (ifNoneMatch.contains(plainTag) || ifNoneMatch.contains(gzipTag)
          || ifNoneMatch.trim().equals("*"))) {
        // No body, and nothing for the server's compressor to do.
        return ctx.response().setStatusCode(304).putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY).end();
      }
      return events.layout(e, ctx.vertx()).compose(layout -> {
        if (gzip) {
          ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
          return Json.send(ctx, 200, layout.gzip());
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        return Json.send(ctx, 200, layout.json());
      });
    });
  }

  /** {@code gzip} (or {@code *}) listed without {@code q=0}. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.split(";");
      String coding = pieces[0].trim();
      if (!coding.equalsIgnoreCase("gzip") && !coding.equals("*")) {
        continue;
      }
      boolean refused = false;
      for (int i = 1; i < pieces.length; i++) {
        String param = pieces[i].trim().toLowerCase();
        if (param.startsWith("q=")) {
          try {
            refused = Double.parseDouble(param.substring(2).trim()) <= 0;
          } catch (NumberFormatException e) {
            refused = true;
          }
        }
      }
      if (!refused) {
        return true;
      }
    }
    return false;
  }
}
