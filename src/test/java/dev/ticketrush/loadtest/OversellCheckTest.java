package dev.ticketrush.loadtest;

import dev.ticketrush.loadtest.OversellCheck.ConfirmedOrder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The verification must fail loudly on exactly the situations it exists to catch. */
class OversellCheckTest {
  @Test
  void passesWhenSoldSeatsAreExactlyTheConfirmedOnes() {
    OversellCheck.Result r = OversellCheck.check(
        List.of(new ConfirmedOrder("o1", List.of(1, 2)), new ConfirmedOrder("o2", List.of(7))), List.of(7, 2, 1));
    assertThat(r.passed()).isTrue();
    assertThat(r.oversoldCount()).isZero();
    assertThat(r.confirmedSeats()).isEqualTo(3);
    assertThat(r.toJson().getBoolean("passed")).isTrue();
  }

  @Test
  void passesWithNothingSold() {
    assertThat(OversellCheck.check(List.of(), List.of()).passed()).isTrue();
  }

  @Test
  void failsOnASeatSoldInTwoOrders() {
    OversellCheck.Result r = OversellCheck.check(
        List.of(new ConfirmedOrder("o1", List.of(5, 6)), new ConfirmedOrder("o2", List.of(6))), List.of(5, 6));
    assertThat(r.passed()).isFalse();
    assertThat(r.oversoldCount()).isEqualTo(1);
    assertThat(r.oversold()).containsKey(6);
    assertThat(r.oversold().get(6)).containsExactly("o1", "o2");
    assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("oversell"));
    assertThat(r.toJson().getInteger("oversold")).isEqualTo(1);
  }

  @Test
  void failsOnASeatListedTwiceAsSold() {
    OversellCheck.Result r = OversellCheck.check(List.of(new ConfirmedOrder("o1", List.of(3))), List.of(3, 3));
    assertThat(r.passed()).isFalse();
    assertThat(r.oversold()).containsKey(3);
  }

  @Test
  void failsWhenASoldSeatHasNoConfirmedOrder() {
    OversellCheck.Result r = OversellCheck.check(List.of(new ConfirmedOrder("o1", List.of(1))), List.of(1, 9));
    assertThat(r.passed()).isFalse();
    assertThat(r.oversoldCount()).isZero();
    assertThat(r.soldWithoutOrder()).containsExactly(9);
  }

  @Test
  void failsWhenAConfirmedSeatIsNotSold() {
    OversellCheck.Result r = OversellCheck.check(List.of(new ConfirmedOrder("o1", List.of(1, 2))), List.of(1));
    assertThat(r.passed()).isFalse();
    assertThat(r.confirmedNotSold()).containsExactly(2);
  }
}
