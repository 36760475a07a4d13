package dev.ticketrush.infra;

import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where Redis is and how it is deployed ({@code TICKETRUSH_REDIS_MODE}): one server ({@code standalone}), a Redis
 * Cluster ({@code cluster}: {@code url} lists seed nodes, comma-separated) or a master watched by Sentinels
 * ({@code sentinel}: {@code url} lists the sentinels, {@code masterName} names the master). Every Redis client of
 * the service takes its {@link RedisOptions} from here, so every use works the same way in all three modes.
 *
 * <p>In cluster mode every command must stay in one hash slot. All keys of one event share the tag
 * {@code {eventId}}, so scripts are legal; what spans events (a batch over several events, a multi-stream read)
 * is split per event by the callers ({@link RedisLink#batch} sends such a batch as separate pipelined commands).
 */
public record RedisEndpoint(Mode mode, List<String> urls, String masterName, long commandTimeoutMs) {
  public enum Mode { STANDALONE, CLUSTER, SENTINEL }

  /** The default deadline of a Redis command (see {@link #commandTimeoutMs}). */
  public static final long DEFAULT_COMMAND_TIMEOUT_MS = 5_000;

  public RedisEndpoint(Mode mode, List<String> urls, String masterName) {
    this(mode, urls, masterName, DEFAULT_COMMAND_TIMEOUT_MS);
  }

  /**
   * @param commandTimeoutMs how long a connection with commands outstanding may stay silent before it is
   *     retired (its commands fail, the next command connects afresh); also the TCP connect timeout and
   *     {@code TCP_USER_TIMEOUT}
   */
  public RedisEndpoint {
    if (commandTimeoutMs <= 0) {
      throw new IllegalArgumentException("the Redis command timeout must be positive");
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no Redis URL");
    }
    if (mode == Mode.STANDALONE && urls.size() > 1) {
      throw new IllegalArgumentException("TICKETRUSH_REDIS_URL lists several servers: set TICKETRUSH_REDIS_MODE to cluster or sentinel");
    }
    urls = List.copyOf(urls);
  }

  public static RedisEndpoint standalone(String url) {
    return new RedisEndpoint(Mode.STANDALONE, List.of(url), null);
  }

  /** From the config values: {@code mode} is standalone (null means that too), cluster or sentinel. */
  public static RedisEndpoint of(String mode, String url, String masterName) {
    Mode m;
    try {
      m = mode == null || mode.isBlank() ? Mode.STANDALONE : Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TICKETRUSH_REDIS_MODE must be standalone, cluster or sentinel, got '" + mode + "'");
    }
    List<String> urls = Arrays.stream(url.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new RedisEndpoint(m, urls, masterName == null || masterName.isBlank() ? "mymaster" : masterName);
  }

  /** The same servers with another command deadline. */
  public RedisEndpoint withCommandTimeout(long ms) {
    return new RedisEndpoint(mode, urls, masterName, ms);
  }

  public boolean cluster() {
    return mode == Mode.CLUSTER;
  }

  /**
   * The pool bound of one long-lived link. Standalone: 1, the link's own connection. Cluster: the link holds one
   * pooled connection per master for good, and the client refreshes its slot map (every
   * {@code hashSlotCacheTTL}) over a further connection from the same per-server pool; with a bound of 1 that
   * refresh waits forever and so does every command behind it. Sentinel: the same for the master lookups.
   */
  public int linkPoolSize() {
    return mode == Mode.STANDALONE ? 1 : 4;
  }

  /** Options for one client; callers add their pool and protocol settings. */
  public RedisOptions options() {
    RedisOptions o = new RedisOptions().setNetClientOptions(TcpSettings.client(commandTimeoutMs));
    urls.forEach(o::addConnectionString);
    switch (mode) {
      case STANDALONE -> o.setType(RedisClientType.STANDALONE);
      // Every command goes to the slot's master: seat scripts write, and reads must see the latest write.
      case CLUSTER -> o.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
          // Short topology cache: after a failover the new slot owner is learnt within a second.
          .setHashSlotCacheTTL(1_000);
      // Our own reconnect (RedisLink, ChangeLogTail, also after a connection is retired for silence) asks the
      // sentinels for the current master; the client caches their answer for a second (the topology TTL).
      case SENTINEL -> o.setType(RedisClientType.SENTINEL).setRole(RedisRole.MASTER).setMasterName(masterName)
          .setAutoFailover(false).setTopologyCacheTTL(1_000);
    }
    return o;
  }

  /** For logs: the servers without credentials. */
  @Override
  public String toString() {
    return mode.name().toLowerCase(Locale.ROOT) + " " + String.join(",", urls).replaceAll("//[^@/]*@", "//***@")
        + (mode == Mode.SENTINEL ? " master " + masterName : "");
  }
}
