package dev.ticketrush.infra;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * One long-lived, pipelined Redis connection per verticle instance: commands are written as they come and
 * replies matched in order, so the hot path pays no pool checkout and no connection churn.
 * A broken connection is dropped and the next command reconnects (Redis restarts are expected).
 */
public final class RedisLink {
  private final Redis client;
  private Future<RedisConnection> connection;

  public RedisLink(Vertx vertx, String url) {
    this.client = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setMaxWaitingHandlers(65_536)
        .setMaxPoolSize(1)
        .setMaxPoolWaiting(65_536));
  }

  public Future<Response> send(Request request) {
    return connection().compose(c -> c.send(request));
  }

  public Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> c.batch(requests));
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
