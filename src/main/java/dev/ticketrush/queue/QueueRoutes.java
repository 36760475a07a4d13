package dev.ticketrush.queue;

import dev.ticketrush.Services;
import dev.ticketrush.http.Guard;
import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Vertx;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/** Waiting-room routes (joinQueue, getQueuePosition). TEMPORARY: being implemented. */
public final class QueueRoutes {
  public QueueRoutes(Vertx vertx, Services services, RedisLink redis, Guard guard) {
  }

  public void mount(RouterBuilder builder) {
  }
}
