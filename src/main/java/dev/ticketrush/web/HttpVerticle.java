package dev.ticketrush.web;

import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
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
  /** What the server itself needs to know. {@code metricsToken} null leaves {@code /metrics} open. */
  public record Settings(int port, int bodyLimitBytes, boolean trustForwarded, TokenKeys tokenKeys, boolean devTokens,
      String metricsToken) {
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
  private final Bounds bounds;
  private RedisLink redis;
  private Authn authn;
  private HttpServer server;
  /** Set when the node stops: requests that still arrive on open connections are refused with 503. */
  private volatile boolean draining;

  /**
   * Limits against hostile clients, shared by every instance: connections per IP, how long a connection
   * may stay silent (WebSockets stay busy with their pings, every 30 s) before the server closes it, and how long
   * a request's headers and body may take to arrive from its first byte ({@code 0}: no deadline).
   */
  public record Bounds(ConnectionLimit connections, int idleTimeoutSeconds, long requestDeadlineMs) {
  }

  public HttpVerticle(Settings settings, RedisEndpoint redisEndpoint, Pool pool, PrometheusMeterRegistry registry, Modules modules,
                      Bounds bounds) {
    this.settings = settings;
    this.redisEndpoint = redisEndpoint;
    this.pool = pool;
    this.registry = registry;
    this.modules = modules;
    this.bounds = bounds;
  }

  @Override
  public Future<?> start() {
    redis = new RedisLink(vertx, redisEndpoint);
    Health health = new Health(redis, pool);
    return Authn.start(vertx, settings.tokenKeys()).compose(started -> {
      authn = started;
      return serve(health, modules.create(vertx, redis, authn));
    });
  }

  private Future<?> serve(Health health, List<WebModule> features) {
    return OpenAPIContract.from(vertx, "openapi.yaml").compose(contract -> {
      RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
      BodyHandler bodies = BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes());
      builder.rootHandler(ctx -> {
        if (draining) {
          // This node is stopping: the client retries on another (the load balancer sends it elsewhere).
          ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
          ProblemHandler.send(ctx, Rejection.of(Outcome.BACKEND_UNAVAILABLE, "this node is shutting down, retry")
              .retryAfter(1));
          return;
        }
        // Vert.x' body handler throws (a 500) on a GET that claims a form or multipart body; such a request has no
        // body we read, so its Content-Type is dropped instead.
        HttpMethod m = ctx.request().method();
        boolean bodyMethod = m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH || m == HttpMethod.DELETE;
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (!bodyMethod && type != null && (type.toLowerCase().startsWith("multipart/")
            || type.toLowerCase().startsWith("application/x-www-form-urlencoded"))) {
          ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
        }
        bodies.handle(ctx);
      });
      if (settings.trustForwarded()) {
        // Behind a load balancer the socket address is the balancer's: per-IP limits use the client address that
        // balancer saw (see ClientIp for why not Vert.x's allowForward). Only enable it behind one trusted proxy.
        builder.rootHandler(ClientIp.behindOneTrustedProxy());
      }
      // Our own validator runs first on every operation (see ContractValidation for why not the built-in one),
      // after the caller's token where the contract asks for one (its `bearer` security): an anonymous body is
      // refused before it is parsed or validated, and the answer to a request without credentials never depends
      // on its body.
      for (OpenAPIRoute route : builder.getRoutes()) {
        route.setDoValidation(false).setDoSecurity(false);
        if (!route.getOperation().getSecurityRequirements().isEmpty()) {
          route.addHandler(ctx -> authn.caller(ctx).onComplete(c -> {
            if (c.succeeded()) {
              ctx.next();
            } else {
              ctx.fail(c.cause());
            }
          }));
        }
        route.addHandler(new ContractValidation(contract, route.getOperation()));
      }
      builder.getRoute("mintDevToken").addHandler(Json.async(ctx -> mintDevToken(ctx, authn)));
      features.forEach(m -> m.mount(builder));

      Router router = builder.createRouter();
      router.get("/health/live").handler(health::live);
      router.get("/health/ready").handler(Json.async(health::ready));
      features.forEach(m -> m.mount(router));
      router.get("/metrics").handler(new MetricsGuard(settings.metricsToken()))
          .handler(PrometheusScrapingHandler.create(registry));
      router.get("/*").handler(new PageHeaders());
      router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(300));

      ProblemHandler problems = new ProblemHandler();
      router.route().failureHandler(problems);
      for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
        router.errorHandler(status, problems);
      }
      HttpServerOptions options = new HttpServerOptions()
          .setPort(settings.port())
          .setCompressionSupported(true)
          .setMaxWebSocketFrameSize(65_536)
          // No cleartext HTTP/2 upgrade (h2c): browsers never use it (HTTP/2 comes from the TLS proxy), and clients
          // that try it (Java's HttpClient by default) sometimes got HTTP/1.1 bytes on the upgraded connection
          // here; they now simply stay on HTTP/1.1.
          .setHttp2ClearTextEnabled(false)
          .setIdleTimeout(bounds.idleTimeoutSeconds())
          .setIdleTimeoutUnit(TimeUnit.SECONDS)
          // No WebSocket compression: every patch is encoded once and the same bytes go to every watcher; deflate
          // would compress it again per socket and keep a zlib context (tens of KB) per connection, which is
          // CPU and memory that grow with the crowd and that any client could ask for.
          .setPerMessageWebSocketCompressionSupported(false)
          .setPerFrameWebSocketCompressionSupported(false);
      StrictHttp1 strict = new StrictHttp1(options, bounds.requestDeadlineMs(), Counter.builder("ticketrush.requests.too.slow")
          .description("Connections closed because a request's headers and body did not arrive within the deadline")
          .register(registry));
      server = vertx.createHttpServer(options);
      return server.connectionHandler(conn -> {
            bounds.connections().accept(conn);
            strict.install(conn);
          })
          .invalidRequestHandler(ProblemHandler::invalidRequest)
          .requestHandler(new RequestScreen(router)).listen()
          .recover(err -> Future.failedFuture(new IllegalStateException(
              "cannot listen on port " + settings.port() + " (TICKETRUSH_HTTP_PORT): " + err.getMessage(), err)));
    });
  }

  private Future<?> mintDevToken(RoutingContext ctx, Authn authn) {
    if (!settings.devTokens()) {
      return Future.failedFuture(RequestFault.NOT_FOUND.refuse("dev tokens are disabled"));
    }
    JsonObject body = ctx.body().asJsonObject();
    String token = authn.mint(body.getString("sub"), body.getJsonArray("roles"), body.getInteger("ttlSeconds", 86_400));
    return Json.send(ctx, 200, new JsonObject().put("token", token));
  }

  @Override
  public Future<?> stop() {
    // Stop accepting, refuse new requests on open connections (503), let in-flight requests (a purchase
    // mid-payment) finish for up to 10 s, then close.
    draining = true;
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
    return drained.eventually(() -> {
      if (authn != null) {
        authn.close();
      }
      redis.close();
      return Future.succeededFuture();
    });
  }
}
