package dev.ticketrush.infra;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One long-lived, pipelined Redis connection per verticle instance: commands are written as they come and
 * replies matched in order, so the hot path pays no pool checkout and no connection churn.
 * A broken connection is dropped and the next command reconnects (Redis restarts are expected); in cluster mode
 * see {@link #refreshAfter}.
 *
 * <p>A host that dies silently (power loss, a partition: no FIN, no RST) leaves the connection open and every
 * command waiting until the kernel gives up, minutes later. So the link has a deadline
 * ({@link RedisEndpoint#commandTimeoutMs}): when its connection has commands outstanding and delivers no reply
 * for that long, the connection is retired (its socket closed, which fails the waiting commands) and the next
 * command connects afresh, in sentinel mode to the master the sentinels name now. Connecting has a deadline
 * too ({@link TcpSettings#connectTimeoutMs}). One periodic check per link, no timer per command; a busy server
 * that keeps answering is never cut.
 */
public final class RedisLink {
  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

  private final Vertx vertx;
  private final Redis client;
  private final boolean cluster;
  private final long timeoutMs;
  private final long watchdog;
  private Future<RedisConnection> connection;
  private boolean refreshing;
  /** The connection the watchdog watches, its commands in flight, and since when it has been silent. */
  private RedisConnection watched;
  private int outstanding;
  private long quietSince;

  /** A standalone server. */
  public RedisLink(Vertx vertx, String url) {
    this(vertx, RedisEndpoint.standalone(url));
  }

  /** Standalone, cluster or sentinel (in cluster mode: one connection per master, behind one link). */
  public RedisLink(Vertx vertx, RedisEndpoint endpoint) {
    this.vertx = vertx;
    this.cluster = endpoint.cluster();
    this.timeoutMs = endpoint.commandTimeoutMs();
    this.watchdog = vertx.setPeriodic(Math.max(25, timeoutMs / 4), id -> checkProgress());
    this.client = Redis.createClient(vertx, endpoint.options()
        .setMaxWaitingHandlers(65_536)
        .setMaxPoolSize(endpoint.linkPoolSize())
        .setMaxPoolWaiting(65_536));
  }

  public Future<Response> send(Request request) {
    Future<Response> reply = connection().compose(c -> watch(c, c.send(request)));
    return cluster ? reply.onFailure(this::refreshAfter) : reply;
  }

  /**
   * Several commands written at once, replies in order. In cluster mode a batch must stay in one slot, so the
   * commands go out as separate pipelined sends (each routed to its slot's master) joined in order; callers may
   * batch across events either way. Not a transaction in either mode.
   */
  public Future<List<Response>> batch(List<Request> requests) {
    if (!cluster) {
      return connection().compose(c -> watch(c, c.batch(requests)));
    }
    return connection().compose(c -> {
      List<Future<Response>> each = new ArrayList<>(requests.size());
      for (Request r : requests) {
        each.add(watch(c, c.send(r)).onFailure(this::refreshAfter));
      }
      return Future.all(each).map(all -> {
        List<Response> out = new ArrayList<>(each.size());
        for (Future<Response> f : each) {
          out.add(f.result());
        }
        return out;
      });
    });
  }

  private Future<RedisConnection> connection() {
    Future<RedisConnection> current = connection;
    if (current != null && !current.failed()) {
      return current;
    }
    Promise<RedisConnection> promise = Promise.promise();
    connection = promise.future();
    // A silent host may accept the connection and never answer the handshake.
    long connectMs = TcpSettings.connectTimeoutMs(timeoutMs);
    long deadline = vertx.setTimer(connectMs, id -> {
      if (promise.tryFail(new java.util.concurrent.TimeoutException("Redis did not accept a connection within "
          + connectMs + " ms"))) {
        if (connection == promise.future()) {
          connection = null;
        }
      }
    });
    client.connect().onComplete(ar -> {
      vertx.cancelTimer(deadline);
      if (promise.future().isComplete()) {
        if (ar.succeeded()) {
          RedisConnections.retire(ar.result()); // too late: it was given up on
        }
        return;
      }
      if (ar.succeeded()) {
        RedisConnection c = ar.result();
        if (!cluster) {
          c.exceptionHandler(e -> drop(promise.future()));
          c.endHandler(v -> drop(promise.future()));
        }
        promise.complete(c);
      } else {
        connection = null;
        promise.fail(ar.cause());
      }
    });
    return connection;
  }

  /**
   * Cluster mode: one master's connection failing (a crashed shard) must not take the other shards down with
   * it, and a new cluster connection cannot be made while any master in the slot map is unreachable ("Failed to
   * connect to all nodes"). So the cluster connection is kept when one of its servers goes away (it routes by
   * the client's slot map, refreshed every second, and opens connections to promoted masters itself), and a
   * failure that is not a Redis error reply starts one attempt to build a fresh connection, swapped in only
   * when it succeeds, i.e. once the failover is complete.
   */
  private void refreshAfter(Throwable err) {
    if (err instanceof ErrorType || refreshing) {
      return; // Redis answered (an error reply): the connection is fine
    }
    Future<RedisConnection> old = connection;
    if (old == null || !old.succeeded()) {
      return; // no connection yet: the next command connects anyway
    }
    refreshing = true;
    client.connect().onComplete(ar -> {
      refreshing = false;
      if (ar.succeeded() && connection == old) {
        connection = Future.succeededFuture(ar.result());
        old.result().close();
      } else if (ar.succeeded()) {
        ar.result().close();
      }
    });
  }

  /** Counts {@code reply} as outstanding on {@code c} until it completes. */
  private <T> Future<T> watch(RedisConnection c, Future<T> reply) {
    if (reply.isComplete()) {
      return reply;
    }
    if (watched != c) {
      watched = c;
      outstanding = 0;
    }
    if (outstanding++ == 0) {
      quietSince = System.nanoTime();
    }
    return reply.andThen(ar -> {
      if (watched == c) {
        outstanding--;
        quietSince = System.nanoTime();
      }
    });
  }

  private void checkProgress() {
    RedisConnection c = watched;
    if (c == null || outstanding <= 0 || System.nanoTime() - quietSince < timeoutMs * 1_000_000) {
      return;
    }
    log.warn("Redis sent no reply for {} ms with {} command(s) outstanding: retiring the connection", timeoutMs,
        outstanding);
    watched = null;
    outstanding = 0;
    Future<RedisConnection> current = connection;
    if (current != null && current.succeeded() && current.result() == c) {
      connection = null;
    }
    RedisConnections.retire(c);
  }

  private void drop(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
    }
  }

  public void close() {
    vertx.cancelTimer(watchdog);
    Future<RedisConnection> c = connection;
    if (c != null && c.succeeded()) {
      c.result().close();
    }
    client.close();
  }
}
