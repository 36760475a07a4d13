package dev.ticketrush.infra;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

import java.util.ArrayList;
import java.util.List;

/**
 * One long-lived, pipelined Redis connection per verticle instance: commands are written as they come and
 * replies matched in order, so the hot path pays no pool checkout and no connection churn.
 * A broken connection is dropped and the next command reconnects (Redis restarts are expected); in cluster mode
 * see {@link #refreshAfter}.
 */
public final class RedisLink {
  private final Redis client;
  private final boolean cluster;
  private Future<RedisConnection> connection;
  private boolean refreshing;

  /** A standalone server. */
  public RedisLink(Vertx vertx, String url) {
    this(vertx, RedisEndpoint.standalone(url));
  }

  /** Standalone, cluster or sentinel (in cluster mode: one connection per master, behind one link). */
  public RedisLink(Vertx vertx, RedisEndpoint endpoint) {
    this.cluster = endpoint.cluster();
    this.client = Redis.createClient(vertx, endpoint.options()
        .setMaxWaitingHandlers(65_536)
        .setMaxPoolSize(endpoint.linkPoolSize())
        .setMaxPoolWaiting(65_536));
  }

  public Future<Response> send(Request request) {
    Future<Response> reply = connection().compose(c -> c.send(request));
    return cluster ? reply.onFailure(this::refreshAfter) : reply;
  }

  /**
   * Several commands written at once, replies in order. In cluster mode a batch must stay in one slot, so the
   * commands go out as separate pipelined sends (each routed to its slot's master) joined in order; callers may
   * batch across events either way. Not a transaction in either mode.
   */
  public Future<List<Response>> batch(List<Request> requests) {
    if (!cluster) {
      return connection().compose(c -> c.batch(requests));
    }
    return connection().compose(c -> {
      List<Future<Response>> each = new ArrayList<>(requests.size());
      for (Request r : requests) {
        each.add(c.send(r).onFailure(this::refreshAfter));
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
    client.connect().onComplete(ar -> {
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

  private void drop(Future<RedisConnection> broken) {
    if (connection == broken) {
      connection = null;
    }
  }

  public void close() {
    Future<RedisConnection> c = connection;
    if (c != null && c.succeeded()) {
      c.result().close();
    }
    client.close();
  }
}
