package dev.ticketrush;

import dev.ticketrush.broadcast.BroadcastVerticle;
import dev.ticketrush.broadcast.RealtimeRoutes;
import dev.ticketrush.broadcast.WatcherLimit;
import dev.ticketrush.config.AppConfig;
import dev.ticketrush.config.ConfigException;
import dev.ticketrush.config.Mode;
import dev.ticketrush.config.PaymentBounds;
import dev.ticketrush.config.Secrets;
import dev.ticketrush.config.SecurityConfig;
import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.event.EventRepository;
import dev.ticketrush.event.EventRoutes;
import dev.ticketrush.event.NewEvent;
import dev.ticketrush.infra.LiveEvents;
import dev.ticketrush.infra.Database;
import dev.ticketrush.infra.EmbeddedServices;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.order.ChargeReconciler;
import dev.ticketrush.order.CancelService;
import dev.ticketrush.order.ChargeSettlement;
import dev.ticketrush.order.OrderRoutes;
import dev.ticketrush.order.PurchaseCompleter;
import dev.ticketrush.order.PurchaseRecovery;
import dev.ticketrush.order.PurchaseRepository;
import dev.ticketrush.order.PurchaseService;
import dev.ticketrush.order.SaleAudit;
import dev.ticketrush.order.TicketRepository;
import dev.ticketrush.ticket.TicketBook;
import dev.ticketrush.ticket.TicketKeys;
import dev.ticketrush.ticket.TicketRoutes;
import dev.ticketrush.payment.FakePaymentGateway;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.payment.stripe.StripeGateway;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.queue.EntryTokens;
import dev.ticketrush.queue.JoinChallenges;
import dev.ticketrush.queue.QueueAdmitter;
import dev.ticketrush.queue.QueueGate;
import dev.ticketrush.queue.QueueRoutes;
import dev.ticketrush.queue.RateLimiter;
import dev.ticketrush.queue.WaitingRoom;
import dev.ticketrush.seat.AccessCodeRoutes;
import dev.ticketrush.seat.AccessCodes;
import dev.ticketrush.seat.HoldVerticle;
import dev.ticketrush.seat.Reconciler;
import dev.ticketrush.seat.SaleRules;
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
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
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
  /** Catalog lookups and readiness checks: public reads never queue in front of purchases. */
  private final Pool readPool;
  private final PrometheusMeterRegistry registry;
  private final EventCatalog events;
  private final PaymentGateway payments;
  private final EntryTokens entryTokens;
  private final SeatService seats;
  /** Shared by every event loop: one snapshot read per event and interval for the whole node. */
  private final SnapshotCache snapshots;
  /** Shared by every event loop: the node's watcher places. */
  private final WatcherLimit watcherLimit;
  /** Signs ticket codes in the confirm transaction and verifies them at the door. */
  private final TicketKeys ticketKeys;
  private final TicketBook ticketBook;
  /** Presale access codes: minted here, bound by the seat scripts, rebuilt into Redis from here. */
  private final AccessCodes accessCodes;
  /** Deployment ids in the order they stop: each one before what it depends on (see {@link #close}). */
  private String http;
  private final List<String> background = new java.util.ArrayList<>();
  private String broadcast;
  private String seatStore;

  private TicketRush(AppConfig config, EmbeddedServices embedded, Vertx vertx, Pool pool, Pool readPool,
                     PrometheusMeterRegistry registry, TicketKeys ticketKeys) {
    this.config = config;
    this.ticketKeys = ticketKeys;
    this.ticketBook = new TicketBook(pool, ticketKeys, config.payments().timeoutMs());
    this.accessCodes = new AccessCodes(pool);
    this.embedded = embedded;
    this.vertx = vertx;
    this.pool = pool;
    this.readPool = readPool;
    this.registry = registry;
    this.events = new EventCatalog(new EventRepository(readPool), registry);
    this.payments = paymentGateway(vertx, pool, config);
    this.entryTokens = new EntryTokens(config.security().entryTokenSecret());
    this.seats = new SeatService(vertx);
    this.snapshots = new SnapshotCache(seats, vertx, registry);
    this.watcherLimit = new WatcherLimit(config.limits().maxWatchers(), registry);
  }

  /** The one place that names a payment provider (the node and the audit command use it). */
  static PaymentGateway paymentGateway(Vertx vertx, Pool pool, AppConfig config) {
    return "stripe".equals(config.payments().gateway())
        ? new StripeGateway(vertx, config.payments().stripeApiBase(), config.payments().stripeSecretKey(), config.payments().timeoutMs())
        : new FakePaymentGateway(vertx, pool, config.payments().fakeLatencyMs());
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
    String unavailable = EmbeddedServices.unavailable(requested.redis().url(), requested.postgres().url());
    if (unavailable != null) {
      return Future.failedFuture(new ConfigException(unavailable));
    }
    TicketKeys ticketKeys;
    try {
      ticketKeys = ticketKeys(requested);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    EmbeddedServices embedded = EmbeddedServices.start(requested.redis().url(), requested.postgres().url(),
        Path.of(requested.postgres().dataDir()));
    AppConfig config = requested.withServices(embedded.redisUrl(), embedded.pgUrl());
    try {
      Database.migrate(config.postgres().url());
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

    Pool pool = Database.pool(vertx, config.postgres().url(), config.postgres().poolSize(), "ticketrush-pg", config.postgres().commandTimeoutMs());
    Pool readPool = Database.pool(vertx, config.postgres().url(), config.postgres().readPoolSize(), "ticketrush-pg-reads",
        config.postgres().commandTimeoutMs());
    TicketRush app = new TicketRush(config, embedded, vertx, pool, readPool, registry, ticketKeys);
    // A failed start closes Vert.x: the failure is passed on through a promise bound to no event loop (a
    // continuation of the deploy's own future would be dispatched to a loop that close() has just ended, and
    // the caller would wait forever).
    io.vertx.core.Promise<TicketRush> started = io.vertx.core.Promise.promise();
    app.deploy(requested).onComplete(ar -> {
      if (ar.succeeded()) {
        started.complete(app);
      } else {
        app.close().onComplete(closed -> started.fail(ar.cause()));
      }
    });
    return started.future();
  }

  /**
   * The ticket signing keys: configured in production (a node without them refuses to start, before anything
   * is sold that could not be checked in elsewhere), made once and kept under the data directory in dev mode.
   */
  private static TicketKeys ticketKeys(AppConfig config) {
    String pem = config.security().ticketSigningKey();
    if (pem != null) {
      return TicketKeys.fromPem(pem);
    }
    if (config.mode() == Mode.DEV) {
      return TicketKeys.devKeys(Path.of(config.postgres().dataDir(), "ticket-signing-key.pem"));
    }
    throw new ConfigException("production mode needs TICKETRUSH_TICKET_SIGNING_KEY (PEM: an EC P-256 PRIVATE KEY "
        + "and its PUBLIC KEY, the same on every node) to sign tickets that every node's door check accepts");
  }

  private Future<TicketRush> deploy(AppConfig requested) {
    TicketRepository tickets = new TicketRepository(pool);
    PurchaseRepository orders = new PurchaseRepository(pool, config.payments().timeoutMs()).measuredIn(registry);
    PaymentBounds money = config.payments().bounds();
    PurchaseService.Bounds paying = new PurchaseService.Bounds(config.payments().windowMs(), config.payments().timeoutMs(),
        PaymentBounds.GRACE_SECONDS, money.unknownMaxAttempts(), money.unknownMaxMs());
    ChargeSettlement settlement = new ChargeSettlement(seats, orders, payments, registry, paying,
        (eventId, user) -> vertx.eventBus().send(Addresses.QUEUE_DONE,
            new JsonObject().put("eventId", eventId).put("user", user), new DeliveryOptions().setLocalOnly(true)));
    PurchaseService purchases = new PurchaseService(vertx, seats, orders, payments, paying, settlement);
    PurchaseRecovery recovery = new PurchaseRecovery(orders, payments, registry, paying, settlement);
    CancelService cancellations = new CancelService(seats, pool, payments, registry, paying);
    long leaseSeconds = PaymentBounds.rowDeadlineSeconds(config.payments().timeoutMs());
    // A charge younger than a purchase's whole unknown phase may still belong to a purchase in flight.
    long orphanMinAgeMs = money.unknownMaxMs() + leaseSeconds * 1000;
    // Embedded Redis (dev mode) is always one standalone server, whatever the mode says.
    RedisEndpoint redis = (requested.redis().url() == null ? RedisEndpoint.standalone(config.redis().url())
        : RedisEndpoint.of(config.redis().mode(), config.redis().url(), config.redis().masterName()))
        .withCommandTimeout(config.redis().commandTimeoutMs());
    int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    // Behind a trusted proxy every connection comes from the proxy: a per-address cap would cap the whole site.
    HttpVerticle.Bounds bounds = new HttpVerticle.Bounds(
        new ConnectionLimit(config.http().trustForwarded() ? 0 : config.limits().maxConnectionsPerIp(), registry), config.limits().idleTimeoutSeconds(),
        config.http().requestDeadlineMs());
    return events.loadAll()
        .compose(v -> vertx.deployVerticle(() -> new HoldVerticle(redis, config.sale().changeLogMaxLen(),
            config.sale().sweepIntervalMs(), events, tickets, accessCodes, registry, config.sale().liveGraceMs()), new DeploymentOptions()))
        .compose(id -> {
          seatStore = id;
          return config.operations().demoEvent() ? seedDemo() : Future.succeededFuture();
        })
        .compose(v -> vertx.deployVerticle(() -> new Reconciler(redis, config.sale().reconcileIntervalMs(), events, tickets,
            seats, registry, config.sale().liveGraceMs()), new DeploymentOptions()))
        .compose(id -> {
          background.add(id);
          return vertx.deployVerticle(() -> new BroadcastVerticle(redis, seats), new DeploymentOptions());
        })
        .compose(id -> {
          broadcast = id;
          return vertx.deployVerticle(() -> new QueueAdmitter(redis, events, registry, config.sale().liveGraceMs()), new DeploymentOptions());
        })
        .compose(id -> {
          background.add(id);
          return vertx.deployVerticle(() -> new PurchaseCompleter(recovery, cancellations, orders, config.payments().completerIntervalMs(),
              leaseSeconds, registry), new DeploymentOptions());
        })
        .compose(id -> {
          background.add(id);
          return vertx.deployVerticle(() -> new ChargeReconciler(pool, payments, registry,
              money.chargeReconcileIntervalMs(), orphanMinAgeMs, money.chargeReconcilePages(), config.payments().timeoutMs()),
              new DeploymentOptions());
        })
        .compose(id -> {
          background.add(id);
          return vertx.deployVerticle(() -> new HttpVerticle(httpSettings(), redis, readPool, registry,
              webModules(purchases, cancellations, orders), bounds), new DeploymentOptions().setInstances(loops));
        })
        .map(id -> {
          http = id;
          log.info("Ticket Rush ready on port {} (Redis {}{}, PostgreSQL {}{})", config.http().port(),
              Secrets.mask(redis.toString()), requested.redis().url() == null ? " embedded" : "",
              Secrets.mask(config.postgres().url()), requested.postgres().url() == null ? " embedded" : "");
          return this;
        });
  }

  private HttpVerticle.Settings httpSettings() {
    SecurityConfig security = config.security();
    TokenKeys keys = new TokenKeys(security.jwtSecret(), security.jwtPublicKey(), security.jwtPublicKeyAlgorithm(),
        security.jwksUrl(), security.jwtIssuer(), security.jwtAudience());
    return new HttpVerticle.Settings(config.http().port(), config.http().bodyLimitBytes(), config.http().trustForwarded(),
        keys, config.operations().devTokens(), security.metricsToken());
  }

  /** The feature routes of one HTTP verticle instance, on that instance's Redis connection. */
  private HttpVerticle.Modules webModules(PurchaseService purchases, CancelService cancellations, PurchaseRepository orders) {
    QueueGate.DefaultLimits limits = new QueueGate.DefaultLimits(config.limits().rateLimitUser(), config.limits().rateLimitIp());
    SaleAudit audit = new SaleAudit(pool, eventId -> seats.snapshot(eventId).map(s -> s.sold().getList()), payments);
    return (instanceVertx, redis, authn) -> {
      RateLimiter limiter = new RateLimiter(redis).countingIn(registry);
      WaitingRoom room = new WaitingRoom(redis, WaitingRoom.Tuning.DEFAULT).marking(new LiveEvents(redis, config.sale().liveGraceMs()));
      QueueGate gate = new QueueGate(events, authn, limiter, room, entryTokens, limits);
      List<WebModule> modules = List.of(
          new EventRoutes(events, authn, e -> seats.init(e.id(), SaleRules.of(e)),
              e -> seats.applySaleRules(e.id(), SaleRules.of(e)), config.sale().holdTtlMs()),
          new SeatRoutes(events, seats, snapshots, gate, registry),
          new AccessCodeRoutes(events, authn, accessCodes, seats),
          new OrderRoutes(purchases, orders, gate, authn, audit, events, ticketBook, cancellations, seats),
          new TicketRoutes(events, ticketBook, gate),
          new QueueRoutes(events, gate, room, entryTokens, new JoinChallenges(redis)),
          new RealtimeRoutes(instanceVertx, events, seats, redis, registry, config.http().allowedOrigin(),
              config.http().bodyLimitBytes(), watcherLimit));
      return modules;
    };
  }

  private Future<Void> seedDemo() {
    return events.repository().insertDemoOnce(NewEvent.demo(config.sale().holdTtlMs()))
        .compose(e -> seats.init(e.id(), SaleRules.of(e)).map(e))
        .map(e -> {
          events.remember(e);
          log.info("demo event {} '{}' with {} seats", e.id(), e.name(), e.seatCount());
          return (Void) null;
        });
  }

  /**
   * Stops the node in dependency order ({@code Vertx.close()} alone undeploys everything at once, so requests
   * still draining would find the seat service gone): HTTP first (it stops accepting, answers 503 with
   * Retry-After to requests on open connections and lets in-flight ones finish), then the background jobs
   * that call the seat service (completer, admitter, reconciler), the broadcaster, the seat service last; then
   * Vert.x, the pools and the embedded servers.
   */
  public Future<Void> close() {
    Future<Void> stopped = undeploy(http)
        .eventually(() -> Future.join(background.stream().map(this::undeploy).toList()))
        .eventually(() -> undeploy(broadcast))
        .eventually(() -> undeploy(seatStore));
    // Vert.x is closed from a thread of its own: a continuation bound to one of its event loops would be
    // dispatched to a loop that has just terminated, and never run.
    return Future.fromCompletionStage(stopped.toCompletionStage()
        .handle((v, err) -> null)
        .thenComposeAsync(v -> vertx.close().toCompletionStage().handle((c, err) -> null),
            java.util.concurrent.ForkJoinPool.commonPool())
        .thenApply(v -> {
          embedded.close();
          return (Void) null;
        }));
  }

  private Future<Void> undeploy(String id) {
    if (id == null || !vertx.deploymentIDs().contains(id)) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(id).onFailure(e -> log.warn("stopping {} failed: {}", id, e.toString()));
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

  public TicketKeys ticketKeys() {
    return ticketKeys;
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
