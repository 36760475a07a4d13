package dev.ticketrush.http;

import dev.ticketrush.Services;
import dev.ticketrush.config.AppConfig;
import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventRoutes;
import dev.ticketrush.hold.HoldRoutes;
import dev.ticketrush.hold.SeatStore;
import dev.ticketrush.broadcast.RealtimeRoutes;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.order.OrderRoutes;
import dev.ticketrush.queue.QueueRoutes;
import dev.ticketrush.queue.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;

/**
 * Routes only: the OpenAPI contract (src/main/resources/openapi.yaml) validates every API request before a
 * handler runs; handlers delegate to the feature classes. One instance per event loop.
 */
public final class HttpVerticle extends VerticleBase {
  private final Services services;
  private final AppConfig config;
  private RedisLink redis;
  private HttpServer server;

  public HttpVerticle(Services services) {
    this.services = services;
    this.config = services.config();
  }

  @Override
  public Future<?> start() {
    redis = new RedisLink(vertx, config.redisUrl());
    SeatStore seats = new SeatStore(redis, config.changeLogMaxLen(), services.tickets()::soldSeats);
    Authn authn = new Authn(vertx, config.jwtSecret());
    RateLimiter limiter = new RateLimiter(redis);
    EventRoutes events = new EventRoutes(vertx, services.events(), authn, seats, config.holdTtlMs());
    HoldRoutes holds = new HoldRoutes(vertx, seats, services.metrics());
    Guard guard = new Guard(services, authn, limiter);
    Health health = new Health(redis, services.pool());

    return OpenAPIContract.from(vertx, "openapi.yaml").compose(contract -> {
      RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
      builder.rootHandler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
      // Our own validator runs first on every operation (see ContractValidation for why not the built-in one).
      for (OpenAPIRoute route : builder.getRoutes()) {
        route.setDoValidation(false).addHandler(new ContractValidation(contract, route.getOperation()));
      }
      builder.getRoute("mintDevToken").addHandler(Json.async(ctx -> events.mintDevToken(ctx, config.devTokens())));
      builder.getRoute("createEvent").addHandler(Json.async(events::create));
      builder.getRoute("getEvent").addHandler(Json.async(events::get));
      builder.getRoute("getLayout").addHandler(Json.async(events::layout));
      builder.getRoute("getSeats").addHandler(Json.async(events::seats));
      builder.getRoute("createHold").addHandler(Json.async(ctx -> guard.limited(ctx, holds::hold)));
      builder.getRoute("releaseHold").addHandler(Json.async(ctx -> guard.limited(ctx, holds::release)));
      builder.getRoute("getMyHolds").addHandler(Json.async(ctx -> guard.authenticated(ctx, holds::mine)));
      OrderRoutes.mount(builder, new OrderRoutes(vertx, services, seats), guard);
      QueueRoutes queue = new QueueRoutes(vertx, services, redis, guard);
      queue.mount(builder);
      RealtimeRoutes realtime = new RealtimeRoutes(vertx, services, seats, redis);
      realtime.mount(builder);

      Router router = builder.createRouter();
      if (config.trustForwarded()) {
        // Behind a load balancer the socket address is the balancer's: take the client from X-Forwarded-For so
        // per-IP limits apply per client. Only enable it when a trusted proxy sets (and overwrites) that header.
        router.allowForward(AllowForwardHeaders.X_FORWARD);
      }
      router.get("/health/live").handler(health::live);
      router.get("/health/ready").handler(Json.async(health::ready));
      realtime.mount(router);
      router.get("/metrics").handler(PrometheusScrapingHandler.create((PrometheusMeterRegistry) services.metrics()));
      router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(300));

      ProblemHandler problems = new ProblemHandler();
      router.route().failureHandler(problems);
      for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
        router.errorHandler(status, problems);
      }
      server = vertx.createHttpServer(new HttpServerOptions()
          .setPort(config.httpPort())
          .setCompressionSupported(true)
          .setMaxWebSocketFrameSize(65_536));
      return server.requestHandler(router).listen();
    });
  }

  @Override
  public Future<?> stop() {
    // Stop accepting, let in-flight requests (a purchase mid-payment) finish for up to 10 s, then close.
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(10, java.util.concurrent.TimeUnit.SECONDS);
    return drained.eventually(() -> {
      redis.close();
      return Future.succeededFuture();
    });
  }

  /** A route handler that needs the event and the caller. */
  public interface EventAction {
    Future<?> apply(RoutingContext ctx, Event event, Caller caller);
  }
}
