package dev.ticketrush.loadtest;

import io.vertx.core.Future;

/**
 * One load scenario. It creates its own fresh event(s) through the API, runs within the context's budget,
 * and leaves what the final verification needs in the context (events, confirmed orders, users).
 */
public interface Scenario {
  String name();

  Future<Void> run(ScenarioContext ctx);

  static Scenario named(String name) {
    return switch (name) {
      case "hold-race" -> new HoldRace();
      case "payment-race" -> new PaymentRace();
      case "seat-change" -> new ObservedChange();
      case "ws-propagation" -> new WsPropagation();
      case "queue" -> new QueueFairness();
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    };
  }
}
