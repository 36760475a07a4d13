package dev.ticketrush.order;

/**
 * Told once a purchase's order is confirmed (after its transaction committed). The composition root wires it to
 * the waiting room, which frees the buyer's active place, so {@code order} need not know {@code queue}.
 * Must not block; failures are the listener's own (the order stands regardless).
 */
@FunctionalInterface
public interface OrderConfirmed {
  OrderConfirmed NOBODY = (eventId, user) -> { };

  void confirmed(long eventId, String user);
}
