package dev.ticketrush.broadcast;

import dev.ticketrush.Services;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

public final class BroadcastVerticle extends VerticleBase {
  private final Services services;

  public BroadcastVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
