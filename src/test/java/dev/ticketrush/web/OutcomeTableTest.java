package dev.ticketrush.web;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeTableTest {
  @Test
  void everyOutcomeHasARow() {
    assertThat(Arrays.stream(Outcome.values()).filter(o -> !OutcomeTable.maps(o))).as("outcomes without a row").isEmpty();
  }

  @Test
  void refusalsAreProblemsAndOnlyFaultsAre5xx() {
    for (Outcome o : Outcome.values()) {
      OutcomeTable.Answer a = OutcomeTable.of(o);
      assertThat(a.code()).as(o.name()).matches("[a-z_]+");
      boolean fault = o == Outcome.BACKEND_UNAVAILABLE || o == Outcome.SEAT_SERVICE_UNAVAILABLE
          || o == Outcome.PAYMENT_UNAVAILABLE || o == Outcome.ORDER_NOT_STORED || o == Outcome.WATCHERS_FULL || o == Outcome.INTERNAL;
      assertThat(a.status() >= 500).as(o + " is a fault").isEqualTo(fault);
    }
  }

  @Test
  void requestFaultsAreClientProblems() {
    for (RequestFault f : RequestFault.values()) {
      OutcomeTable.Answer a = OutcomeTable.of(f);
      assertThat(a.code()).as(f.name()).matches("[a-z_]+");
      assertThat(a.status()).as(f.name()).isBetween(400, 499);
    }
  }

  @Test
  void problemJsonCarriesTheTablesStatusAndCode() {
    var json = ProblemHandler.toJson(Rejection.of(Outcome.SEAT_PAID_BY_OTHER_ORDER, "busy").with("seats", 3));
    assertThat(json.getInteger("status")).isEqualTo(409);
    assertThat(json.getString("code")).isEqualTo("hold_missing");
    assertThat(json.getString("detail")).isEqualTo("busy");
    assertThat(json.getInteger("seats")).isEqualTo(3);
    assertThat(json.getString("type")).isEqualTo("https://ticketrush.dev/problems/hold-missing");
  }
}
