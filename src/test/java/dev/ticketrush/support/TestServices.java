package dev.ticketrush.support;

import dev.ticketrush.config.Secrets;
import dev.ticketrush.infra.EmbeddedServices;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one place that decides where tests get Redis and PostgreSQL, once per test JVM:
 * {@code TICKETRUSH_REDIS_URL}/{@code TICKETRUSH_PG_URL} when set; Testcontainers when a Docker engine answers;
 * otherwise the embedded server binaries from Maven artifacts, each started when first asked for (the fast lane
 * asks only for Redis, so it never pays for a PostgreSQL start).
 */
public final class TestServices {
  private static String redisUrl;
  private static String pgUrl;
  private static EmbeddedServices embedded;
  private static String source;
  /** Tells {@link EmbeddedServices#start} that a server is not to be started by that call. */
  private static final String STARTED_ELSEWHERE = "started-elsewhere://";

  private TestServices() {
  }

  public static synchronized void ensureStarted() {
    if (source != null) {
      return;
    }
    String envRedis = System.getenv("TICKETRUSH_REDIS_URL");
    String envPg = System.getenv("TICKETRUSH_PG_URL");
    if (envRedis != null && envPg != null) {
      redisUrl = envRedis;
      pgUrl = envPg;
      source = "environment";
    } else if (dockerAvailable()) {
      GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
      redis.start();
      PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:16-alpine");
      pg.start();
      redisUrl = "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
      pgUrl = "postgresql://" + pg.getUsername() + ":" + pg.getPassword() + "@" + pg.getHost() + ":"
          + pg.getMappedPort(5432) + "/" + pg.getDatabaseName();
      source = "testcontainers";
    } else {
      // A server not given is started here when first asked for: the fast lane needs only Redis.
      redisUrl = envRedis;
      pgUrl = envPg;
      source = "embedded";
      return;
    }
    System.out.println("[test services] " + source + ": redis=" + Secrets.mask(redisUrl) + " pg=" + Secrets.mask(pgUrl));
  }

  public static synchronized String redisUrl() {
    ensureStarted();
    if (redisUrl == null) {
      embedded = EmbeddedServices.start(null, STARTED_ELSEWHERE, null);
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
      redisUrl = embedded.redisUrl();
      System.out.println("[test services] embedded: redis=" + redisUrl);
    }
    return redisUrl;
  }

  public static synchronized String pgUrl() {
    ensureStarted();
    if (pgUrl == null) {
      EmbeddedServices pg = EmbeddedServices.start(STARTED_ELSEWHERE, null, null);
      Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
      pgUrl = pg.pgUrl();
      System.out.println("[test services] embedded: pg=" + Secrets.mask(pgUrl));
    }
    return pgUrl;
  }

  /** The embedded Redis when tests run on it (fault tests restart Redis), else null. */
  public static synchronized EmbeddedServices embedded() {
    redisUrl();
    return embedded;
  }

  private static boolean dockerAvailable() {
    if ("false".equals(System.getenv("TICKETRUSH_TEST_DOCKER"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  private static String ticketSigningKey;

  /**
   * One ticket signing key pair (PEM) for every node this test JVM starts, child processes included: a ticket
   * sold through one node must check in at another.
   */
  public static synchronized String ticketSigningKey() {
    if (ticketSigningKey == null) {
      try {
        java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("EC");
        gen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair pair = gen.generateKeyPair();
        ticketSigningKey = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return ticketSigningKey;
  }

  /** PEM text of one DER block. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
