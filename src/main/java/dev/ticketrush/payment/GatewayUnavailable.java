package dev.ticketrush.payment;

/**
 * The gateway did not give an answer we can rely on (timeout, connection lost, 5xx): whether money moved is
 * unknown until a {@link PaymentGateway#lookup} says so.
 */
public final class GatewayUnavailable extends RuntimeException {
  public GatewayUnavailable(String message) {
    super(message);
  }

  public GatewayUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
