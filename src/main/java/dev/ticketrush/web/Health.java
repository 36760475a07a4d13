package dev.ticketrush.web;

import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;

/**
 * Liveness (the process answers) and readiness (Redis and PostgreSQL answer within a second). A readiness
 * result is reused for {@link #CACHE_MS}, and concurrent checks share one, so probes (or anyone, the endpoint
 * is public) cost at most one PING and one {@code SELECT 1} per event loop and period. The pool is the small
 * one for public reads, never the purchases' pool.
 */
public final class Health {
  static final long CACHE_MS = 1_000;

  private final RedisLink redis;
  private final Pool pool;
  private Future<JsonObject> last;
  private long lastAt;

  public Health(RedisLink redis, Pool pool) {
    this.redis = redis;
    this.pool = pool;
  }

  public void live(RoutingContext ctx) {
    Json.send(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public Future<?> ready(RoutingContext ctx) {
    long now = System.nanoTime();
    if (last == null || (last.isComplete() && now - lastAt > CACHE_MS * 1_000_000)) {
      last = check();
      lastAt = now;
    }
    return last.compose(body -> Json.send(ctx, "UP".equals(body.getString("status")) ? 200 : 503, body));
  }

  private Future<JsonObject> check() {
    Future<String> r = redis.send(Request.cmd(Command.PING)).timeout(1, TimeUnit.SECONDS)
        .map("UP").otherwise("DOWN");
    Future<String> p = pool.query("SELECT 1").execute().timeout(1, TimeUnit.SECONDS)
        .map("UP").otherwise("DOWN");
    return Future.join(r, p).eventually(() -> Future.succeededFuture()).map(v -> {
      boolean up = "UP".equals(r.result()) && "UP".equals(p.result());
      return new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("checks", new JsonObject().put("redis", r.result()).put("postgres", p.result()));
    });
  }
}
