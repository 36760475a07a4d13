package dev.ticketrush.infra;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

/** PostgreSQL access: Flyway migrations over JDBC at boot, and the reactive pool for requests. */
public final class Database {
  private Database() {
  }

  public static PgConnectOptions connectOptions(String pgUrl) {
    return PgConnectOptions.fromUri(pgUrl)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(16);
  }

  /** Blocking (JDBC): run it in executeBlocking or before Vert.x starts serving. */
  public static void migrate(String pgUrl) {
    PgConnectOptions o = connectOptions(pgUrl);
    String jdbc = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    Flyway.configure()
        .dataSource(jdbc, o.getUser(), o.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /** For tools (the audit command) and tests: a deadline of a minute, for long reports. */
  public static Pool pool(Vertx vertx, String pgUrl, int maxSize) {
    return pool(vertx, pgUrl, maxSize, "ticketrush-pg-tool", 60_000);
  }

  /**
   * One pool shared by the verticles of this process. {@code maxSize} is small on purpose: a purchase is
   * three short statements in one transaction, PostgreSQL does best with few busy connections (about 2×cores),
   * and extra requests wait in the pool queue instead of piling onto the server. Every use has the deadline
   * {@code commandTimeoutMs} ({@link DeadlinePool}); waiting for a free connection is bounded by twice that.
   * Sockets use TCP keepalive and {@code TCP_USER_TIMEOUT} ({@link TcpSettings}).
   */
  public static Pool pool(Vertx vertx, String pgUrl, int maxSize, String name, long commandTimeoutMs) {
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(10_000).setShared(true).setName(name)
            .setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, 2 * commandTimeoutMs))
            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
        .with(TcpSettings.client(commandTimeoutMs))
        .connectingTo(connectOptions(pgUrl))
        .using(vertx)
        .build();
    return new DeadlinePool(vertx, pool, commandTimeoutMs);
  }
}
