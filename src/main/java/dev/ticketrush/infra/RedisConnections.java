package dev.ticketrush.infra;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.RedisStandaloneConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * What vertx-redis-client's public API does not offer, done through its implementation classes: retiring a
 * connection and coalescing its writes ({@link #coalesceWrites}).
 *
 * <p>Retiring a Redis connection that stopped answering. {@code RedisConnection.close()} of vertx-redis-client
 * 5.0.7 hands a pooled connection back to its pool, still "valid", so the next {@code connect()} would get the
 * same silent socket again; retiring closes the socket itself, which fails every command waiting on it and
 * takes it out of the pool. Uses the client's implementation classes (checked by the silent-host tests).
 */
public final class RedisConnections {
  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);
  private static final String COALESCE = "ticketrush-coalesce-writes";
  /** The flushes held back at most before one is let through anyway (Netty's default). */
  private static final int FLUSH_AFTER = 256;
  private static final Field SOCKET = socketField();

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

  /**
   * Makes the commands sent on {@code c} during one event-loop turn leave in one socket write. The client writes
   * and flushes every command on its own (one write system call each: under load, the largest item of a hold's
   * profile); Netty's {@link FlushConsolidationHandler} at the head of the connection's pipeline holds each
   * flush back until the tasks already queued on the loop have run (or the reply being read has been handled),
   * then flushes once. A lone command leaves as soon as the current task ends. Each command keeps its own
   * promise, so its reply or failure reaches its caller as before; only the write timing changes. Standalone and
   * sentinel connections; a cluster connection (one socket per master, opened as the client routes) keeps one
   * write per command. Checked by RedisWriteCoalescingTest.
   */
  public static void coalesceWrites(RedisConnection c) {
    try {
      ChannelPipeline pipeline = pipeline(c);
      if (pipeline != null && pipeline.get(COALESCE) == null) { // a pooled connection may be handed out again
        pipeline.addFirst(COALESCE, new FlushConsolidationHandler(FLUSH_AFTER, true));
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("cannot coalesce the writes of a Redis connection ({}); one write per command", e.toString());
    }
  }

  /** The Netty pipeline of a standalone or sentinel connection's socket, else null. */
  static ChannelPipeline pipeline(RedisConnection c) throws ReflectiveOperationException {
    if (SOCKET != null && c instanceof PooledRedisConnection pooled
        && pooled.actual() instanceof RedisStandaloneConnection standalone
        && SOCKET.get(standalone) instanceof NetSocketInternal socket) {
      return socket.channelHandlerContext().pipeline();
    }
    return null;
  }

  private static Field socketField() {
    try {
      Field f = RedisStandaloneConnection.class.getDeclaredField("netSocket");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Redis writes are not coalesced: {}", e.toString());
      return null;
    }
  }
}
