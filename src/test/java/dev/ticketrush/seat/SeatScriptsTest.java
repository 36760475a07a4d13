package dev.ticketrush.seat;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Every branch of every seat script, against real Redis. */
@ExtendWith(VertxExtension.class)
class SeatScriptsTest {
  static RedisLink redis;
  static final AtomicLong nextEvent = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 5_000_000_000L);
  /** What PostgreSQL "says" is sold, per test: the recovery path reads it. */
  static List<Integer> soldInDb = new ArrayList<>();
  SeatScripts store;
  long ev;

  /** The Vert.x instance comes from VertxExtension, which closes it (and with it this link) after the class. */
  @BeforeAll
  static void connect(Vertx vertx) {
    redis = new RedisLink(vertx, TestServices.redisUrl());
  }

  @BeforeEach
  void newEvent() {
    soldInDb = new ArrayList<>();
    store = TestSeatScripts.on(redis, () -> soldInDb);
    ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
  }


  SeatResult hold(String user, int... seats) {
    return hold(user, 60_000, 4, seats);
  }

  SeatResult hold(String user, long ttl, int max, int... seats) {
    List<Integer> list = new ArrayList<>();
    for (int s : seats) {
      list.add(s);
    }
    return Await.result(store.hold(ev, user, list, ttl, max, 100));
  }

  long version() {
    return Await.result(store.snapshot(ev)).version();
  }

  @Test
  void holdFreeSeatsBumpsVersionOncePerSeat() {
    SeatResult r = hold("alice", 1, 2, 3);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.version()).isEqualTo(3);
    assertThat(r.expiresAt()).isGreaterThan(System.currentTimeMillis() + 50_000);
    SeatSnapshot s = Await.result(store.snapshot(ev));
    assertThat(s.held().getList()).containsExactly(1, 2, 3);
    List<SeatChange> log = Await.result(store.since(ev, 0, 100));
    assertThat(log).extracting(SeatChange::version).containsExactly(1L, 2L, 3L);
    assertThat(log).extracting(SeatChange::status).containsOnly("HELD");
  }

  @Test
  void holdingMyOwnSeatAgainKeepsExpiryAndVersion() {
    SeatResult first = hold("alice", 5);
    SeatResult again = hold("alice", 5);
    assertThat(again.outcome()).isEqualTo(Outcome.HELD);
    assertThat(again.expiresAt()).isEqualTo(first.expiresAt());
    assertThat(version()).isEqualTo(1);
  }

  @Test
  void seatHeldByOtherIsUnavailableAndNothingIsHeld() {
    hold("bob", 7);
    SeatResult r = hold("alice", 6, 7, 8);
    assertThat(r.outcome()).isEqualTo(Outcome.SEAT_UNAVAILABLE);
    assertThat(r.seats()).containsExactly(7);
    assertThat(Await.result(store.snapshot(ev)).held().getList()).containsExactly(7);
    assertThat(version()).isEqualTo(1);
  }

  @Test
  void soldSeatIsUnavailable() {
    Await.result(store.sell(ev, null, List.of(9)));
    SeatResult r = hold("alice", 9);
    assertThat(r.outcome()).isEqualTo(Outcome.SEAT_UNAVAILABLE);
    assertThat(r.seats()).containsExactly(9);
  }

  @Test
  void expiredHoldIsNeverHonouredEvenBeforeTheSweep() throws Exception {
    hold("bob", 1_000L, 4, 10);
    Await.pause(Duration.ofMillis(1_100));
    SeatResult r = hold("alice", 10);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(Await.result(store.release(ev, "bob", 10)).outcome()).isEqualTo(Outcome.HOLD_NOT_FOUND);
    assertThat(Await.result(store.mine(ev, "bob"))).isEmpty();
    assertThat(Await.result(store.mine(ev, "alice"))).extracting(HeldSeat::seat).containsExactly(10);
  }

  @Test
  void limitCountsLiveHoldsOnly() {
    assertThat(hold("alice", 60_000L, 3, 1, 2).outcome()).isEqualTo(Outcome.HELD);
    SeatResult over = hold("alice", 60_000L, 3, 3, 4);
    assertThat(over.outcome()).isEqualTo(Outcome.HOLD_LIMIT);
    assertThat(over.seats()).containsExactly(2, 3);
    assertThat(hold("alice", 60_000L, 3, 1, 2, 3).outcome()).isEqualTo(Outcome.HELD);
    Await.result(store.release(ev, "alice", 1));
    assertThat(hold("alice", 60_000L, 3, 4).outcome()).isEqualTo(Outcome.HELD);
  }

  @Test
  void limitStopsCountingASeatSoldWithoutTheHoldersKey() {
    assertThat(hold("alice", 60_000L, 3, 1, 2).outcome()).isEqualTo(Outcome.HELD);
    // The reconciler's path: sell.lua is not given alice's list, so only the limit check can notice.
    Await.result(store.sell(ev, null, List.of(1)));
    assertThat(hold("alice", 60_000L, 3, 3, 4).outcome()).isEqualTo(Outcome.HELD);
    SeatResult over = hold("alice", 60_000L, 3, 5);
    assertThat(over.outcome()).isEqualTo(Outcome.HOLD_LIMIT);
    assertThat(over.seats()).containsExactly(3, 3);
    assertThat(Await.result(store.mine(ev, "alice"))).extracting(HeldSeat::seat).containsExactly(2, 3, 4);
  }

  @Test
  void aSaleToTheHolderFreesTheirCountAtOnce() {
    assertThat(hold("alice", 60_000L, 2, 1, 2).outcome()).isEqualTo(Outcome.HELD);
    Await.result(store.sell(ev, "alice", List.of(1, 2)));
    assertThat(Await.result(redis.send(Request.cmd(Command.ZCARD).arg(Keyspace.seatScript(ev, "alice").get(6)))).toInteger()).isZero();
    assertThat(hold("alice", 60_000L, 2, 3, 4).outcome()).isEqualTo(Outcome.HELD);
  }

  @Test
  void limitStopsCountingASeatTakenOverAfterItsHoldExpired() throws Exception {
    assertThat(hold("alice", 1_000L, 2, 1, 2).outcome()).isEqualTo(Outcome.HELD);
    Await.pause(Duration.ofMillis(1_100));
    assertThat(hold("bob", 60_000L, 2, 1).outcome()).isEqualTo(Outcome.HELD);
    assertThat(hold("alice", 60_000L, 2, 3, 4).outcome()).isEqualTo(Outcome.HELD);
    assertThat(hold("bob", 60_000L, 2, 5, 6).outcome()).isEqualTo(Outcome.HOLD_LIMIT);
  }

  @Test
  void aPinnedHoldCountsPastItsTtlAndUntilItIsUnpinned() throws Exception {
    assertThat(hold("alice", 1_000L, 2, 40).outcome()).isEqualTo(Outcome.HELD);
    assertThat(Await.result(store.pin(ev, "alice", List.of(40), 10_000, 100, "tr_test", "pin-1")).outcome()).isEqualTo(Outcome.PINNED);
    Await.pause(Duration.ofMillis(1_100));
    assertThat(hold("alice", 60_000L, 2, 41, 42).outcome()).as("the pinned seat still counts").isEqualTo(Outcome.HOLD_LIMIT);
    assertThat(Await.result(store.renewPins(ev, "alice", List.of(40), 20_000, "tr_test")).outcome()).isEqualTo(Outcome.PINNED);
    assertThat(hold("alice", 60_000L, 2, 41, 42).outcome()).isEqualTo(Outcome.HOLD_LIMIT);
    // A declined payment gives back the original, passed expiry: the seat stops counting.
    Await.result(store.unpin(ev, "alice", List.of(40), "tr_test", ""));
    assertThat(hold("alice", 60_000L, 2, 41, 42).outcome()).isEqualTo(Outcome.HELD);
  }

  @Test
  void badArgumentsChangeNothing() {
    assertThat(hold("alice", 0).outcome()).isEqualTo(Outcome.INVALID_REQUEST);
    assertThat(hold("alice", 101).outcome()).isEqualTo(Outcome.INVALID_REQUEST);
    assertThat(hold("alice", 3, 3).outcome()).isEqualTo(Outcome.INVALID_REQUEST);
    assertThat(hold("alice", 0L, 4, 3).outcome()).isEqualTo(Outcome.INVALID_REQUEST);
    assertThat(version()).isZero();
  }

  @Test
  void releaseOnlyByOwner() {
    hold("bob", 11);
    assertThat(Await.result(store.release(ev, "alice", 11)).outcome()).isEqualTo(Outcome.HOLD_NOT_FOUND);
    assertThat(Await.result(store.release(ev, "alice", 12)).outcome()).isEqualTo(Outcome.HOLD_NOT_FOUND);
    assertThat(version()).isEqualTo(1);
    SeatResult ok = Await.result(store.release(ev, "bob", 11));
    assertThat(ok.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(ok.version()).isEqualTo(2);
    assertThat(Await.result(store.since(ev, 1, 100))).containsExactly(new SeatChange(11, "AVAILABLE", 2));
    assertThat(Await.result(store.release(ev, "bob", 11)).outcome()).isEqualTo(Outcome.HOLD_NOT_FOUND);
  }

  @Test
  void sweepFreesExpiredHoldsWithOneVersionStepEach() throws Exception {
    hold("bob", 1_000L, 4, 20, 21);
    hold("carol", 21);
    assertThat(Await.result(store.sweep(ev, 100))).isZero();
    Await.pause(Duration.ofMillis(1_100));
    assertThat(Await.result(store.sweep(ev, 100))).isEqualTo(2);
    assertThat(Await.result(store.sweep(ev, 100))).isZero();
    assertThat(version()).isEqualTo(4);
    assertThat(Await.result(store.since(ev, 2, 100))).extracting(SeatChange::status).containsOnly("AVAILABLE");
    assertThat(Await.result(store.snapshot(ev)).held()).isEmpty();
  }

  @Test
  void pinBranches() {
    hold("alice", 30, 31);
    hold("bob", 32);
    Await.result(store.sell(ev, null, List.of(33)));
    assertThat(Await.result(store.pin(ev, "alice", List.of(30, 33), 30_000, 100, "tr_test", "pin-1")).outcome()).isEqualTo(Outcome.SEAT_SOLD);
    SeatResult missing = Await.result(store.pin(ev, "alice", List.of(30, 32, 34), 30_000, 100, "tr_test", "pin-1"));
    assertThat(missing.outcome()).isEqualTo(Outcome.HOLD_MISSING);
    assertThat(missing.seats()).containsExactly(32, 34);
    assertThat(Await.result(store.pin(ev, "alice", List.of(30, 31), 30_000, 100, "tr_test", "pin-1")).outcome()).isEqualTo(Outcome.PINNED);
    assertThat(Await.result(store.pin(ev, "alice", List.of(31), 30_000, 100, "tr_other", "pin-1")).outcome()).isEqualTo(Outcome.SEAT_PAID_BY_OTHER_ORDER);
    // The same purchase (the same charge key) in flight twice: told apart from another order of the user.
    SeatResult again = Await.result(store.pin(ev, "alice", List.of(30, 31), 30_000, 100, "tr_test", "pin-1"));
    assertThat(again.outcome()).isEqualTo(Outcome.REQUEST_IN_PROGRESS);
    assertThat(again.seats()).containsExactly(30, 31);
    // Pinned: no release while paying.
    assertThat(Await.result(store.release(ev, "alice", 30)).outcome()).isEqualTo(Outcome.SEAT_BEING_PAID);
    Await.result(store.unpin(ev, "alice", List.of(30, 31), "tr_test", ""));
    assertThat(Await.result(store.release(ev, "alice", 30)).outcome()).isEqualTo(Outcome.RELEASED);
  }

  @Test
  void unpinAndRenewTouchOnlyThePinsOfTheirOwnChargeKey() {
    hold("alice", 50, 51);
    assertThat(Await.result(store.pin(ev, "alice", List.of(50, 51), 30_000, 100, "tr_first", "pin-1")).outcome()).isEqualTo(Outcome.PINNED);
    // Another purchase of the same user (another charge key) can neither strip nor renew these pins.
    Await.result(store.unpin(ev, "alice", List.of(50, 51), "tr_second", ""));
    assertThat(Await.result(store.release(ev, "alice", 50)).outcome()).as("still pinned").isEqualTo(Outcome.SEAT_BEING_PAID);
    SeatResult foreign = Await.result(store.renewPins(ev, "alice", List.of(50, 51), 30_000, "tr_second"));
    assertThat(foreign.outcome()).isEqualTo(Outcome.HOLD_MISSING);
    assertThat(foreign.seats()).containsExactly(50, 51);
    assertThat(Await.result(store.renewPins(ev, "alice", List.of(50, 51), 30_000, "")).outcome()).isEqualTo(Outcome.INVALID_REQUEST);
    assertThat(Await.result(store.renewPins(ev, "alice", List.of(50, 51), 30_000, "tr_first")).outcome()).isEqualTo(Outcome.PINNED);
    // Its own key ends the pins.
    Await.result(store.unpin(ev, "alice", List.of(50, 51), "tr_first", ""));
    assertThat(Await.result(store.release(ev, "alice", 50)).outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(Await.result(store.renewPins(ev, "alice", List.of(51), 30_000, "tr_first")).outcome())
        .as("an unpinned hold is no pin to renew").isEqualTo(Outcome.HOLD_MISSING);
  }

  @Test
  void aRequestTakesBackOnlyThePinsItMadeItself() {
    hold("alice", 60, 61);
    // A request pinned (its answer lost); a retry with the same key is told the seats are in progress.
    assertThat(Await.result(store.pin(ev, "alice", List.of(60, 61), 30_000, 100, "tr_same", "pin-a")).outcome()).isEqualTo(Outcome.PINNED);
    assertThat(Await.result(store.pin(ev, "alice", List.of(60, 61), 30_000, 100, "tr_same", "pin-b")).outcome())
        .isEqualTo(Outcome.REQUEST_IN_PROGRESS);
    // Another request's token leaves them pinned; the pinning request's own token takes them back.
    Await.result(store.unpin(ev, "alice", List.of(60, 61), "tr_same", "pin-b"));
    assertThat(Await.result(store.release(ev, "alice", 60)).outcome()).as("still pinned").isEqualTo(Outcome.SEAT_BEING_PAID);
    Await.result(store.unpin(ev, "alice", List.of(60, 61), "tr_same", "pin-a"));
    // Now the retry pins them under its own token.
    assertThat(Await.result(store.pin(ev, "alice", List.of(60, 61), 30_000, 100, "tr_same", "pin-b")).outcome()).isEqualTo(Outcome.PINNED);
    assertThat(Await.result(store.renewPins(ev, "alice", List.of(60, 61), 30_000, "tr_same")).outcome()).isEqualTo(Outcome.PINNED);
    assertThat(Await.result(store.pin(ev, "alice", List.of(61), 30_000, 100, "tr_same", "")).outcome())
        .as("a pin needs its token").isEqualTo(Outcome.INVALID_REQUEST);
  }

  @Test
  void pinnedHoldOutlivesItsTtlUntilTheWindowEnds() throws Exception {
    hold("alice", 1_000L, 4, 40);
    assertThat(Await.result(store.pin(ev, "alice", List.of(40), 5_000, 100, "tr_test", "pin-1")).outcome()).isEqualTo(Outcome.PINNED);
    Await.pause(Duration.ofMillis(1_200));
    assertThat(Await.result(store.sweep(ev, 100))).isZero();
    assertThat(hold("bob", 40).outcome()).isEqualTo(Outcome.SEAT_UNAVAILABLE);
    // Declined payment: the original (passed) expiry comes back and the sweeper frees the seat.
    Await.result(store.unpin(ev, "alice", List.of(40), "tr_test", ""));
    assertThat(Await.result(store.sweep(ev, 100))).isEqualTo(1);
  }

  @Test
  void sellIsIdempotentAndDropsHolds() {
    hold("alice", 50);
    long v = Await.result(store.sell(ev, null, List.of(50, 51)));
    assertThat(v).isEqualTo(3);
    assertThat(Await.result(store.sell(ev, null, List.of(50, 51)))).isEqualTo(3);
    SeatSnapshot s = Await.result(store.snapshot(ev));
    assertThat(s.sold().getList()).containsExactly(50, 51);
    assertThat(s.held()).isEmpty();
    assertThat(Await.result(store.mine(ev, "alice"))).isEmpty();
  }

  @Test
  void redisDataLossRestoresSoldSeatsAndMovesVersionsForward() {
    hold("alice", 1, 2);
    Await.result(store.sell(ev, null, List.of(3)));
    long before = version();
    soldInDb = new ArrayList<>(List.of(3));
    List<String> keys = Keyspace.seatScript(ev, "alice");
    Request del = Request.cmd(Command.DEL);
    keys.forEach(del::arg);
    Await.result(redis.send(del));
    // The next script notices the missing counter, restores from "PostgreSQL", then runs.
    SeatResult r = hold("bob", 3);
    assertThat(r.outcome()).isEqualTo(Outcome.SEAT_UNAVAILABLE);
    SeatSnapshot s = Await.result(store.snapshot(ev));
    assertThat(s.sold().getList()).containsExactly(3);
    assertThat(s.version()).isGreaterThan(before + 1_000_000);
    assertThat(Await.result(store.since(ev, before, 100))).isNull();
  }

  @Test
  void sinceAnswersPatchesOrNullForSnapshot() {
    hold("alice", 1, 2, 3);
    assertThat(Await.result(store.since(ev, 3, 100))).isEmpty();
    assertThat(Await.result(store.since(ev, 1, 100))).extracting(SeatChange::seat).containsExactly(2, 3);
    assertThat(Await.result(store.since(ev, 4, 100))).isNull();
    assertThat(Await.result(store.since(ev, -5, 100))).isNull();
    assertThat(Await.result(store.since(ev, 0, 2))).isNull();
  }
}
