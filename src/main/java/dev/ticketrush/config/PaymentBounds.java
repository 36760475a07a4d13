package dev.ticketrush.config;

/**
 * How long money may stay unknown, and how orphan charges are found: after {@code unknownMaxAttempts} completer
 * takeovers or {@code unknownMaxMs} since the purchase began, an unknown payment outcome is decided without
 * an order (a pending charge is canceled, a captured one refunded); every {@code chargeReconcileIntervalMs} a
 * pass reads at most {@code chargeReconcilePages} pages of the gateway's charges and refunds those no confirmed
 * purchase owns.
 */
public record PaymentBounds(int unknownMaxAttempts, long unknownMaxMs, long chargeReconcileIntervalMs,
                            int chargeReconcilePages) {
  /** Time past a gateway call's whole budget before the completer may take its purchase over. */
  public static final long GRACE_SECONDS = 5;

  /** Seconds from a purchase row's insert until the completer may take it over. */
  public static long rowDeadlineSeconds(long paymentTimeoutMs) {
    return (paymentTimeoutMs + 999) / 1000 + GRACE_SECONDS;
  }

  /**
   * Refuses settings that contradict each other: the payment window must outlast the row's deadline plus a
   * completer pass (or pins expire before anyone renews them and paid seats can be sold to someone else), and
   * the unknown phase must be longer than the row's deadline (or a purchase is decided before it was tried).
   */
  static void check(long paymentWindowMs, long paymentTimeoutMs, long completerIntervalMs, PaymentBounds b) {
    long covered = rowDeadlineSeconds(paymentTimeoutMs) * 1000 + completerIntervalMs;
    if (paymentWindowMs < covered) {
      throw new ConfigException("TICKETRUSH_PAYMENT_WINDOW_MS=" + paymentWindowMs + " is shorter than what it must cover: "
          + "the payment timeout rounded up to seconds + " + GRACE_SECONDS + " s grace + the completer interval = "
          + covered + " ms; raise the window or lower TICKETRUSH_PAYMENT_TIMEOUT_MS");
    }
    if (b.unknownMaxAttempts() < 1 || b.unknownMaxMs() < rowDeadlineSeconds(paymentTimeoutMs) * 1000) {
      throw new ConfigException("TICKETRUSH_PAYMENT_UNKNOWN_MAX_ATTEMPTS must be at least 1 and "
          + "TICKETRUSH_PAYMENT_UNKNOWN_MAX_MS at least the purchase row's deadline ("
          + rowDeadlineSeconds(paymentTimeoutMs) * 1000 + " ms)");
    }
    if (b.chargeReconcileIntervalMs() < 100 || b.chargeReconcilePages() < 1) {
      throw new ConfigException("TICKETRUSH_CHARGE_RECONCILE_INTERVAL_MS must be at least 100 and "
          + "TICKETRUSH_CHARGE_RECONCILE_PAGES at least 1");
    }
  }
}
