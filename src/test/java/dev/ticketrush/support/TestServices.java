package dev.ticketrush.support;

import dev.ticketrush.config.Secrets;
import dev.ticketrush.infra.EmbeddedServices;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one place that decides where tests get Redis and PostgreSQL, once per test JVM:
 * {@code TICKETRUSH_REDIS_URL}/{@code TICKETRUSH_PG_URL} when set; Testcontainers when a Docker engine answers;
 * otherwise the embedded server binaries from Maven artifacts.
 */
public final class TestServices {
  private static String redisUrl;
  private static String pgUrl;
  private static EmbeddedServices embedded;
  private static String source;

  private TestServices() {
  }

  public static synchronized void ensureStarted() {
    if (redisUrl != null) {
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
      embedded = EmbeddedServices.start(envRedis, envPg, null);
      redisUrl = embedded.redisUrl();
      pgUrl = embedded.pgUrl();
      source = "embedded";
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
    }
    System.out.println("[test services] " + source + ": redis=" + Secrets.mask(redisUrl) + " pg=" + Secrets.mask(pgUrl));
  }

  public static String redisUrl() {
    ensureStarted();
    return redisUrl;
  }

  public static String pgUrl() {
    ensureStarted();
    return pgUrl;
  }

  /** The embedded servers when tests run on them (fault tests restart Redis), else null. */
  public static EmbeddedServices embedded() {
    ensureStarted();
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
