package dev.ticketrush.web;

import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of one event loop: contract validation on every API request, problem JSON for every
 * failure, health, metrics and the static seat map. It knows no feature: the composition root hands it a
 * {@link Modules} factory whose {@link WebModule}s mount their own routes. One instance per event loop.
 */
public final class HttpVerticle extends VerticleBase {
  /** What the server itself needs to know. */
  public record Settings(int port, int bodyLimitBytes, boolean trustForwarded, String jwtSecret, boolean devTokens) {
  }

  /**
   * Builds the feature routes of one instance. {@code redis} is this event loop's pipelined connection
   * (rate limits, waiting room, presence); it is closed with the verticle.
   */
  public interface Modules {
    List<WebModule> create(Vertx vertx, RedisLink redis, Authn authn);
  }

  private final Settings settings;
  private final RedisEndpoint redisEndpoint;
  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private final Modules modules;
  private RedisLink redis;
  private HttpServer server;

  public HttpVerticle(Settings settings, RedisEndpoint redisEndpoint, Pool pool, PrometheusMeterRegistry registry, Modules modules) {
    this.settings = settings;
    this.redisEndpoint = redisEndpoint;
    this.pool = pool;
    this.registry = registry;
    this.modules = modules;
  }

  @Override
  public Future<?> start() {
    redis = new RedisLink(vertx, redisEndpoint);
    Authn authn = new Authn(vertx, settings.jwtSecret());
    Health health = new Health(redis, pool);
    List<WebModule> features = modules.create(vertx, redis, authn);

    return OpenAPIContract.from(vertx, "openapi.yaml").compose(contract -> {
      RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
      builder.rootHandler(BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes()));
      // Our own validator runs first on every operation (see ContractValidation for why not the built-in one).
      for (OpenAPIRoute route : builder.getRoutes()) {
        route.setDoValidation(false).addHandler(new ContractValidation(contract, route.getOperation()));
      }
      builder.getRoute("mintDevToken").addHandler(Json.async(ctx -> mintDevToken(ctx, authn)));
      features.forEach(m -> m.mount(builder));

      Router router = builder.createRouter();
      if (settings.trustForwarded()) {
        // Behind a load balancer the socket address is the balancer's: take the client from X-Forwarded-For so
        // per-IP limits apply per client. Only enable it when a trusted proxy sets (and overwrites) that header.
        router.allowForward(AllowForwardHeaders.X_FORWARD);
      }
      router.get("/health/live").handler(health::live);
      router.get("/health/ready").handler(Json.async(health::ready));
      features.forEach(m -> m.mount(router));
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
      router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(300));

      ProblemHandler problems = new ProblemHandler();
      router.route().failureHandler(problems);
      for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
        router.errorHandler(status, problems);
      }
      server = vertx.createHttpServer(new HttpServerOptions()
          .setPort(settings.port())
          .setCompressionSupported(true)
          .setMaxWebSocketFrameSize(65_536));
      return server.requestHandler(router).listen();
    });
  }

  private Future<?> mintDevToken(RoutingContext ctx, Authn authn) {
    if (!settings.devTokens()) {
      return Future.failedFuture(Rejection.of(Outcome.NOT_FOUND, "dev tokens are disabled"));
    }
    JsonObject body = ctx.body().asJsonObject();
    String token = authn.mint(body.getString("sub"), body.getJsonArray("roles"), body.getInteger("ttlSeconds", 86_400));
    return Json.send(ctx, 200, new JsonObject().put("token", token));
  }

  @Override
  public Future<?> stop() {
    // Stop accepting, let in-flight requests (a purchase mid-payment) finish for up to 10 s, then close.
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
    return drained.eventually(() -> {
      redis.close();
      return Future.succeededFuture();
    });
  }
}
