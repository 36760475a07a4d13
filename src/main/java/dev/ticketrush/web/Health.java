package dev.ticketrush.web;

import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;

/** Liveness (the process answers) and readiness (Redis and PostgreSQL answer within a second). */
public final class Health {
  private final RedisLink redis;
  private final Pool pool;

  public Health(RedisLink redis, Pool pool) {
    this.redis = redis;
    this.pool = pool;
  }

  public void live(RoutingContext ctx) {
    Json.send(ctx, 200, new JsonObject().put("status", "UP"));
  }

  public Future<?> ready(RoutingContext ctx) {
    Future<String> r = redis.send(Request.cmd(Command.PING)).timeout(1, TimeUnit.SECONDS)
        .map("UP").otherwise("DOWN");
    Future<String> p = pool.query("SELECT 1").execute().timeout(1, TimeUnit.SECONDS)
        .map("UP").otherwise("DOWN");
    return Future.join(r, p).eventually(() -> Future.succeededFuture()).compose(v -> {
      boolean up = "UP".equals(r.result()) && "UP".equals(p.result());
      JsonObject body = new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("checks", new JsonObject().put("redis", r.result()).put("postgres", p.result()));
      return Json.send(ctx, up ? 200 : 503, body);
    });
  }
}
