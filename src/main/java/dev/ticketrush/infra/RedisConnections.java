package dev.ticketrush.infra;

import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.impl.PooledRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Retiring a Redis connection that stopped answering. {@code RedisConnection.close()} of vertx-redis-client
 * 5.0.7 hands a pooled connection back to its pool, still "valid", so the next {@code connect()} would get the
 * same silent socket again; retiring closes the socket itself, which fails every command waiting on it and
 * takes it out of the pool. Uses the client's implementation classes (checked by the silent-host tests).
 */
public final class RedisConnections {
  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

  private RedisConnections() {
  }

  public static void retire(RedisConnection c) {
    if (c instanceof PooledRedisConnection pooled) {
      // Standalone, and sentinel without the client's own failover (RedisEndpoint sets autoFailover false).
      pooled.actual().forceClose();
      return;
    }
    try {
      // A cluster connection holds one pooled connection per master it has talked to.
      Field f = c.getClass().getDeclaredField("connections");
      f.setAccessible(true);
      for (Object each : ((Map<?, ?>) f.get(c)).values()) {
        if (each instanceof PooledRedisConnection pooled) {
          pooled.actual().forceClose();
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("cannot force-close a {} ({}); closing it normally", c.getClass().getSimpleName(), e.toString());
    }
    c.close();
  }
}
