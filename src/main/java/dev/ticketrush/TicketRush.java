package dev.ticketrush;

import dev.ticketrush.broadcast.BroadcastVerticle;
import dev.ticketrush.config.AppConfig;
import dev.ticketrush.event.Event;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.event.EventRepository;
import dev.ticketrush.event.EventRoutes;
import dev.ticketrush.event.NewEvent;
import dev.ticketrush.hold.HoldVerticle;
import dev.ticketrush.http.HttpVerticle;
import dev.ticketrush.infra.Database;
import dev.ticketrush.infra.EmbeddedServices;
import dev.ticketrush.order.FakePaymentGateway;
import dev.ticketrush.order.Reconciler;
import dev.ticketrush.order.TicketRepository;
import dev.ticketrush.queue.EntryTokens;
import dev.ticketrush.queue.QueueAdmitter;
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

/**
 * One running Ticket Rush node: embedded services (when no URLs are configured), migrations, Vert.x with
 * Prometheus metrics, the demo event, and the three verticles. Used by {@link Main} and by tests.
 */
public final class TicketRush {
  private static final Logger log = LoggerFactory.getLogger(TicketRush.class);

  private final AppConfig config;
  private final EmbeddedServices embedded;
  private final Vertx vertx;
  private final Services services;

  private TicketRush(AppConfig config, EmbeddedServices embedded, Vertx vertx, Services services) {
    this.config = config;
    this.embedded = embedded;
    this.vertx = vertx;
    this.services = services;
  }

  /**
   * Boots a node. The blocking steps (embedded servers, Flyway over JDBC) run on the calling thread before
   * any event loop serves traffic; everything after that is asynchronous.
   */
  public static Future<TicketRush> start(AppConfig requested) {
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
    EventCatalog catalog = new EventCatalog(new EventRepository(pool));
    TicketRepository tickets = new TicketRepository(pool);
    Services services = new Services(config, pool, catalog, tickets,
        new FakePaymentGateway(vertx, config.paymentLatencyMs()), new EntryTokens(config.jwtSecret()), registry);
    TicketRush app = new TicketRush(config, embedded, vertx, services);

    int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    return catalog.loadAll()
        .compose(v -> vertx.deployVerticle(() -> new HoldVerticle(config, catalog, tickets), new DeploymentOptions()))
        .compose(id -> config.demoEvent() ? app.seedDemo() : Future.succeededFuture())
        .compose(v -> vertx.deployVerticle(() -> new Reconciler(services), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(() -> new BroadcastVerticle(services), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(() -> new QueueAdmitter(services), new DeploymentOptions()))
        .compose(id -> vertx.deployVerticle(() -> new HttpVerticle(services), new DeploymentOptions().setInstances(loops)))
        .map(id -> {
          log.info("Ticket Rush ready on port {} (Redis {}{}, PostgreSQL {}{})", config.httpPort(),
              config.redisUrl(), requested.redisUrl() == null ? " embedded" : "",
              config.pgUrl().replaceAll("//[^@]*@", "//***@"), requested.pgUrl() == null ? " embedded" : "");
          return app;
        })
        .recover(err -> app.close().transform(ar -> Future.failedFuture(err)));
  }

  private Future<Void> seedDemo() {
    EventCatalog catalog = services.events();
    return catalog.repository().insertDemoOnce(NewEvent.demo(config.holdTtlMs()))
        .compose(e -> EventRoutes.initSeats(vertx, e).map(e))
        .map(e -> {
          catalog.remember(e);
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

  public Services services() {
    return services;
  }

  public EmbeddedServices embedded() {
    return embedded;
  }

  public Event demoEvent() {
    for (Event e : services.events().known()) {
      if (e.seatCount() == 10_000 && e.name().startsWith("Ticket Rush Demo")) {
        return e;
      }
    }
    return null;
  }
}
