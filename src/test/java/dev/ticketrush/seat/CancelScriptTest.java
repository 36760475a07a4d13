package dev.ticketrush.seat;

import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** cancel.lua against real Redis: seats back, the owner's count down, once per order whatever happens after. */
@ExtendWith(VertxExtension.class)
class CancelScriptTest {
  static final int CAP = 2;
  static RedisLink redis;
  static final AtomicLong nextEvent = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 7_000_000_000L);
  SeatScripts store;
  long ev;

  @BeforeAll
  static void connect(Vertx vertx) {
    redis = new RedisLink(vertx, TestServices.redisUrl());
  }

  @BeforeEach
  void newEvent() {
    SaleRules capped = new SaleRules(1, null, null, true, CAP);
    store = TestSeatScripts.withBuyers(redis, List::of, () -> capped);
    ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev, capped));
  }

  SeatResult hold(String user, int... seats) {
    return Await.result(store.hold(ev, user, java.util.Arrays.stream(seats).boxed().toList(), 60_000, 10, 100));
  }

  @Test
  void seatsComeBackOnceLoggedAvailableAndStopCountingTowardTheCap() {
    assertThat(hold("alice", 1, 2).outcome()).isEqualTo(Outcome.HELD);
    long sold = Await.result(store.sell(ev, "alice", List.of(1, 2)));
    assertThat(hold("alice", 3).outcome()).isEqualTo(Outcome.TICKET_LIMIT);

    assertThat(Await.result(store.cancel(ev, "order-1", List.of(1, 2)))).isEqualTo(2);
    SeatSnapshot s = Await.result(store.snapshot(ev));
    assertThat(s.sold()).isEmpty();
    assertThat(s.version()).isEqualTo(sold + 2);
    assertThat(Await.result(store.since(ev, sold, 10))).extracting(SeatChange::status).containsExactly("AVAILABLE", "AVAILABLE");
    // Alice owns nothing now: the cap lets her take two again.
    assertThat(hold("alice", 3, 4).outcome()).isEqualTo(Outcome.HELD);
  }

  @Test
  void aSecondRunForTheSameOrderChangesNothingEvenAfterTheSeatWasSoldAgain() {
    hold("alice", 5);
    Await.result(store.sell(ev, "alice", List.of(5)));
    assertThat(Await.result(store.cancel(ev, "order-2", List.of(5)))).isEqualTo(1);
    long v = Await.result(store.snapshot(ev)).version();
    assertThat(Await.result(store.cancel(ev, "order-2", List.of(5)))).isZero();
    assertThat(Await.result(store.snapshot(ev)).version()).isEqualTo(v);

    // Sold again, to the same buyer even: a replay of the old cancellation must not free the new sale.
    hold("alice", 5);
    Await.result(store.sell(ev, "alice", List.of(5)));
    assertThat(Await.result(store.cancel(ev, "order-2", List.of(5)))).isZero();
    assertThat(Await.result(store.snapshot(ev)).sold().getList()).containsExactly(5);
    assertThat(hold("alice", 6).outcome()).isEqualTo(Outcome.HELD);
    assertThat(hold("alice", 7).outcome()).isEqualTo(Outcome.TICKET_LIMIT);
  }
}
