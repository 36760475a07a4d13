package dev.ticketrush.infra;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * One long-lived, pipelined Redis connection per verticle instance: commands are written as they come and
 * replies matched in order, so the hot path pays no pool checkout and no connection churn.
 * A broken connection is dropped and the next command reconnects (Redis restarts are expected).
 */
public final class RedisLink {
  private final Redis client;
  private final boolean cluster;
  private Future<RedisConnection> connection;

  /** A standalone server. */
  public RedisLink(Vertx vertx, String url) {
    this(vertx, RedisEndpoint.standalone(url));
  }

  /** Standalone, cluster or sentinel (in cluster mode: one connection per master, behind one link). */
  public RedisLink(Vertx vertx, RedisEndpoint endpoint) {
    this.cluster = endpoint.cluster();
    this.client = Redis.createClient(vertx, endpoint.options()
        .setMaxWaitingHandlers(65_536)
        .setMaxPoolSize(1)
        .setMaxPoolWaiting(65_536));
  }

  public Future<Response> send(Request request) {
    return connection().compose(c -> c.send(request));
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
        each.add(c.send(r));
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
        c.exceptionHandler(e -> drop(promise.future()));
        c.endHandler(v -> drop(promise.future()));
        promise.complete(c);
      } else {
        connection = null;
        promise.fail(ar.cause());
      }
    });
    return connection;
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
