package dev.ticketrush.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * How a feature plugs its routes into an {@link HttpVerticle} instance without the web layer knowing it:
 * OpenAPI operations by id, and (rarely) plain routes such as WebSocket upgrades.
 */
public interface WebModule {
  /** Adds handlers to the contract's operations. */
  void mount(RouterBuilder builder);

  /** Routes outside the OpenAPI contract (after the router is built). */
  default void mount(Router router) {
  }
}
