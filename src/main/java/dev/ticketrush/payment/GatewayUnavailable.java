package dev.ticketrush.payment;

/**
 * The gateway did not give an answer we can rely on (timeout, connection lost, 5xx, the first request with
 * this key still running, a charge still processing): whether money moved is unknown until the same charge,
 * sent again, answers. {@code chargeId} names the charge when the gateway did (a processing PaymentIntent), so
 * it can be canceled; null otherwise.
 */
public final class GatewayUnavailable extends RuntimeException {
  private final String chargeId;

  public GatewayUnavailable(String message) {
    this(message, (String) null);
  }

  public GatewayUnavailable(String message, String chargeId) {
    super(message);
    this.chargeId = chargeId;
  }

  public GatewayUnavailable(String message, Throwable cause) {
    super(message, cause);
    this.chargeId = null;
  }

  public String chargeId() {
    return chargeId;
  }
}
