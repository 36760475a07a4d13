package dev.ticketrush;

import dev.ticketrush.broadcast.BroadcastVerticle;
import dev.ticketrush.broadcast.RealtimeRoutes;
import dev.ticketrush.broadcast.WatcherLimit;
import dev.ticketrush.config.AppConfig;
import dev.ticketrush.config.Mode;
import dev.ticketrush.config.Secrets;
import dev.ticketrush.config.SecurityConfig;
import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.event.EventRepository;
import dev.ticketrush.event.EventRoutes;
import dev.ticketrush.event.NewEvent;
import dev.ticketrush.infra.Database;
import dev.ticketrush.infra.EmbeddedServices;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.order.FakePaymentGateway;
import dev.ticketrush.order.OrderRepository;
import dev.ticketrush.order.OrderRoutes;
import dev.ticketrush.order.OrderService;
import dev.ticketrush.order.PaymentGateway;
import dev.ticketrush.order.PurchaseCompleter;
import dev.ticketrush.order.SaleAudit;
import dev.ticketrush.order.StripeGateway;
import dev.ticketrush.order.TicketRepository;
import dev.ticketrush.queue.EntryTokens;
import dev.ticketrush.queue.QueueAdmitter;
import dev.ticketrush.queue.QueueGate;
import dev.ticketrush.queue.QueueRoutes;
import dev.ticketrush.queue.RateLimiter;
import dev.ticketrush.queue.WaitingRoom;
import dev.ticketrush.seat.HoldVerticle;
import dev.ticketrush.seat.Reconciler;
import dev.ticketrush.seat.SaleRules;
import dev.ticketrush.seat.SeatClient;
import dev.ticketrush.seat.SeatRoutes;
import dev.ticketrush.seat.SeatService;
import dev.ticketrush.seat.SnapshotCache;
import dev.ticketrush.web.ConnectionLimit;
import dev.ticketrush.web.HttpVerticle;
import dev.ticketrush.web.TokenKeys;
import dev.ticketrush.web.WebModule;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * One running Ticket Rush node, and the composition root: the only class that knows every feature. It starts
 * embedded services (when no URLs are configured), migrates, builds Vert.x with Prometheus metrics, wires each
 * feature with exactly what it uses and deploys the verticles. Used by {@link Main} and by tests.
 */
public final class TicketRush {
  private static final Logger log = LoggerFactory.getLogger(TicketRush.class);

  private final AppConfig config;
  private final EmbeddedServices embedded;
  private final Vertx vertx;
  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private final EventCatalog events;
  private final PaymentGateway payments;
  private final EntryTokens entryTokens;
  private final SeatService seats;
  /** Shared by every event loop: one snapshot read per event and interval for the whole node. */
  private final SnapshotCache snapshots;
  /** Shared by every event loop: the node's watcher places. */
  private final WatcherLimit watcherLimit;

  private TicketRush(AppConfig config, EmbeddedServices embedded, Vertx vertx, Pool pool, PrometheusMeterRegistry registry) {
    this.config = config;
    this.embedded = embedded;
    this.vertx = vertx;
    this.pool = pool;
    this.registry = registry;
    this.events = new EventCatalog(new EventRepository(pool), registry);
    this.payments = "stripe".equals(config.paymentGateway())
        ? new StripeGateway(vertx, config.stripeApiBase(), config.stripeSecretKey(), config.paymentTimeoutMs())
        : new FakePaymentGateway(vertx, config.paymentLatencyMs());
    this.entryTokens = new EntryTokens(config.security().entryTokenSecret());
    this.seats = new SeatClient(vertx);
    this.snapshots = new SnapshotCache(seats, vertx, registry);
    this.watcherLimit = new WatcherLimit(config.maxWatchers(), registry);
  }

  /**
   * Boots a node. The blocking steps (embedded servers, Flyway over JDBC) run on the calling thread before
   * any event loop serves traffic; everything after that is asynchronous.
   */
  public static Future<TicketRush> start(AppConfig requested) {
    String notice = requested.modeNotice();
    if (notice != null && requested.mode() == Mode.DEV) {
      log.info(notice);
    } else if (notice != null) {
      log.warn(notice);
    }
    EmbeddedServices embedded = EmbeddedServices.start(requested.redisUrl(), requested.pgUrl(), Path.of(requested.dataDir()));
    AppConfig config = requested.withServices(embedded.redisUrl(), embedded.pgUrl());
    try {
      Database.migrate(config.pgUrl());
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE))
            // Event-bus metrics cost a map lookup per message on the hold path and say little the HTTP metrics don't.
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();

    Pool pool = Database.pool(vertx, config.pgUrl(), config.pgPoolSize());
    TicketRush app = new TicketRush(config, embedded, vertx, pool, registry);
    return app.deploy(requested).recover(err -> app.close().transform(ar -> Future.failedFuture(err)));
  }

  private Future<TicketRush> deploy(AppConfig requested) {
    TicketRepository tickets = new TicketRepository(pool);
    OrderRepository orders = new OrderRepository(pool, config.paymentTimeoutMs());
    OrderService purchases = new OrderService(seats, orders, payments, registry, config.paymentWindowMs(),
        config.paymentTimeoutMs());
    long leaseSeconds = (config.paymentTimeoutMs() + 999) / 1000 + 5;
    // Embedded Redis (dev mode) is always one standalone server, whatever the mode says.
    RedisEndpoint redis = requested.redisUrl() == null ? RedisEndpoint.standalone(config.redisUrl())
        : RedisEndpoint.of(config.redisMode(), config.redisUrl(), config.redisMasterName());
    int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    // Behind a trusted proxy every connection comes from the proxy: a per-address cap would cap the whole site.
    HttpVerticle.Bounds bounds = new HttpVerticle.Bounds(
        new ConnectionLimit(config.trustForwarded() ? 0 : config.maxConnectionsPerIp(), registry), config.idleTimeoutSeconds());
    return events.loadAll()
        .compose(v -> vertx.deployVerticle(() -> new HoldVerticle(redis, config.changeLogMaxLen(),
            config.sweepIntervalMs(), events, tickets, registry), new DeploymentOptions()))
        .compose(id -> config.demoEvent() ? seedDemo() : Future.succeededFuture())
        .compose(v -> vertx.deployVerticle(() -> new Reconciler(redis, config.reconcileIntervalMs(), events, tickets,
            seats, registry), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(() -> new BroadcastVerticle(redis, seats), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(() -> new QueueAdmitter(redis, events, registry), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(() -> new PurchaseCompleter(purchases, orders, config.completerIntervalMs(),
            leaseSeconds, registry), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(() -> new HttpVerticle(httpSettings(), redis, pool, registry,
                webModules(purchases, orders), bounds), new DeploymentOptions().setInstances(loops)))
        .map(id -> {
          log.info("Ticket Rush ready on port {} (Redis {}{}, PostgreSQL {}{})", config.httpPort(),
              Secrets.mask(redis.toString()), requested.redisUrl() == null ? " embedded" : "",
              Secrets.mask(config.pgUrl()), requested.pgUrl() == null ? " embedded" : "");
          return this;
        });
  }

  private HttpVerticle.Settings httpSettings() {
    SecurityConfig security = config.security();
    TokenKeys keys = new TokenKeys(security.jwtSecret(), security.jwtPublicKey(), security.jwtPublicKeyAlgorithm(),
        security.jwksUrl(), security.jwtIssuer(), security.jwtAudience());
    return new HttpVerticle.Settings(config.httpPort(), config.bodyLimitBytes(), config.trustForwarded(), keys,
        config.devTokens(), security.metricsToken());
  }

  /** The feature routes of one HTTP verticle instance, on that instance's Redis connection. */
  private HttpVerticle.Modules webModules(OrderService purchases, OrderRepository orders) {
    QueueGate.DefaultLimits limits = new QueueGate.DefaultLimits(config.rateLimitUser(), config.rateLimitIp());
    SaleAudit audit = new SaleAudit(pool, eventId -> seats.snapshot(eventId).map(s -> s.sold().getList()));
    return (instanceVertx, redis, authn) -> {
      RateLimiter limiter = new RateLimiter(redis).countingIn(registry);
      WaitingRoom room = new WaitingRoom(redis, WaitingRoom.Tuning.DEFAULT);
      QueueGate gate = new QueueGate(events, authn, limiter, room, entryTokens, limits);
      List<WebModule> modules = List.of(
          new EventRoutes(events, authn, e -> seats.init(e.id(), SaleRules.of(e)),
              e -> seats.applySaleRules(e.id(), SaleRules.of(e)), config.holdTtlMs()),
          new SeatRoutes(events, seats, snapshots, gate, registry),
          new OrderRoutes(purchases, orders, gate, authn, audit),
          new QueueRoutes(gate, room, entryTokens),
          new RealtimeRoutes(instanceVertx, events, seats, redis, registry, config.allowedOrigin(), config.bodyLimitBytes(), watcherLimit));
      return modules;
    };
  }

  private Future<Void> seedDemo() {
    return events.repository().insertDemoOnce(NewEvent.demo(config.holdTtlMs()))
        .compose(e -> seats.init(e.id(), SaleRules.of(e)).map(e))
        .map(e -> {
          events.remember(e);
          log.info("demo event {} '{}' with {} seats", e.id(), e.name(), e.seatCount());
          return (Void) null;
        });
  }

  public Future<Void> close() {
    return vertx.close().eventually(() -> {
      embedded.close();
      return Future.succeededFuture();
    });
  }

  public AppConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public EmbeddedServices embedded() {
    return embedded;
  }

  public EventCatalog events() {
    return events;
  }

  public Pool pool() {
    return pool;
  }

  public PaymentGateway payments() {
    return payments;
  }

  public EntryTokens entryTokens() {
    return entryTokens;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Event demoEvent() {
    for (Event e : events.known()) {
      if (e.seatCount() == 10_000 && e.name().startsWith("Ticket Rush Demo")) {
        return e;
      }
    }
    return null;
  }
}
