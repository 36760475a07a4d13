package dev.ticketrush.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real Redis and PostgreSQL server binaries shipped inside Maven artifacts, for the zero-setup default
 * and for tests on machines without Docker. Blocking: call at boot, never from an event loop.
 */
public final class EmbeddedServices implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);

  private RedisServer redis;
  private EmbeddedPostgres postgres;
  private String redisUrl;
  private String pgUrl;

  /**
   * Null when this build can start what a null URL asks for; else one line saying what to set. The service jar
   * (ticket-rush-service.jar, the Docker image) is built without the embedded servers.
   */
  public static String unavailable(String redisUrl, String pgUrl) {
    boolean redisMissing = redisUrl == null && !onClasspath("redis.embedded.RedisServer");
    boolean pgMissing = pgUrl == null && !onClasspath("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
    if (!redisMissing && !pgMissing) {
      return null;
    }
    String what = redisMissing && pgMissing ? "TICKETRUSH_REDIS_URL and TICKETRUSH_PG_URL"
        : redisMissing ? "TICKETRUSH_REDIS_URL" : "TICKETRUSH_PG_URL";
    return "this build has no embedded Redis/PostgreSQL (the service jar): set " + what
        + ", or run the dev jar (target/ticket-rush.jar)";
  }

  private static boolean onClasspath(String className) {
    return EmbeddedServices.class.getClassLoader().getResource(className.replace('.', '/') + ".class") != null;
  }

  /** Starts whatever is missing. A null URL means "start it here". Data of PostgreSQL lives in {@code dataDir/pg}. */
  public static EmbeddedServices start(String redisUrl, String pgUrl, Path dataDir) {
    String unavailable = unavailable(redisUrl, pgUrl);
    if (unavailable != null) {
      throw new IllegalStateException(unavailable);
    }
    EmbeddedServices s = new EmbeddedServices();
    try {
      if (redisUrl == null) {
        int port = freePort();
        // No persistence: PostgreSQL is the truth and the reconciler rebuilds the sold mirror after a restart.
        s.redis = RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .setting("maxmemory-policy noeviction")
            .build();
        s.redis.start();
        s.redisUrl = "redis://127.0.0.1:" + port;
        log.info("embedded Redis started on port {}", port);
      } else {
        s.redisUrl = redisUrl;
      }
      if (pgUrl == null) {
        Path pgDir = dataDir == null ? null : dataDir.resolve("pg");
        // zonky's defaults trade durability for test speed (fsync and synchronous_commit off): an order we
        // answered 201 for could vanish in a power cut. Dev mode keeps real orders too, so it runs durable.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(freePort())
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on");
        if (pgDir != null) {
          Files.createDirectories(pgDir);
          builder.setDataDirectory(pgDir).setCleanDataDirectory(false);
        }
        s.postgres = builder.start();
        s.pgUrl = "postgresql://postgres:postgres@127.0.0.1:" + s.postgres.getPort() + "/postgres";
        log.info("embedded PostgreSQL started on port {} (data in {})", s.postgres.getPort(),
            pgDir == null ? "a temporary folder" : pgDir.toAbsolutePath());
      } else {
        s.pgUrl = pgUrl;
      }
      return s;
    } catch (IOException e) {
      s.close();
      throw new IllegalStateException("cannot start embedded services: " + e.getMessage(), e);
    }
  }

  public String redisUrl() {
    return redisUrl;
  }

  public String pgUrl() {
    return pgUrl;
  }

  /** Stops embedded Redis (for fault tests: a Redis restart loses every key). */
  public void restartRedis() throws IOException {
    if (redis == null) {
      throw new IllegalStateException("Redis is not embedded");
    }
    redis.stop();
    redis.start();
  }

  @Override
  public void close() {
    try {
      if (redis != null) {
        redis.stop();
      }
    } catch (IOException e) {
      log.warn("stopping embedded Redis failed", e);
    }
    try {
      if (postgres != null) {
        postgres.close();
      }
    } catch (IOException e) {
      log.warn("stopping embedded PostgreSQL failed", e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
