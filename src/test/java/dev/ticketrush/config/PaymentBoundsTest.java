package dev.ticketrush.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Payment settings that contradict each other are refused at start (Main logs one "refusing to start" line). */
class PaymentBoundsTest {

  @Test
  void aPaymentWindowShorterThanWhatItMustCoverIsRefused() {
    // 10 s timeout + 5 s grace + 1 s completer interval = 16 s: a 15 s window would let pins lapse unrenewed.
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("paymentWindowMs", 15_000).put("paymentTimeoutMs", 10_000)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_PAYMENT_WINDOW_MS=15000")
        .hasMessageContaining("16000 ms");
    assertThat(AppConfig.fromJson(new JsonObject().put("paymentWindowMs", 16_000).put("paymentTimeoutMs", 10_000))
        .payments().windowMs()).isEqualTo(16_000);
  }

  @Test
  void anUnknownPhaseShorterThanTheRowDeadlineIsRefused() {
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("paymentUnknownMaxMs", 5_000)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TICKETRUSH_PAYMENT_UNKNOWN_MAX_MS");
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("paymentUnknownMaxAttempts", 0)))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> AppConfig.fromJson(new JsonObject().put("chargeReconcilePages", 0)))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void defaultsAreConsistent() {
    PaymentBounds b = AppConfig.fromJson(new JsonObject()).payments().bounds();
    assertThat(b.unknownMaxAttempts()).isEqualTo(20);
    assertThat(b.unknownMaxMs()).isEqualTo(600_000);
    assertThat(PaymentBounds.rowDeadlineSeconds(10_000)).isEqualTo(15);
  }
}
