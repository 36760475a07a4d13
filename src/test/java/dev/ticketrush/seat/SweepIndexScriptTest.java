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
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweeper's index of due work (sweep-due.lua) with the seat scripts, against real Redis. */
@ExtendWith(VertxExtension.class)
class SweepIndexScriptTest {
  static RedisLink redis;
  static SeatScripts store;
  static final AtomicLong nextEvent = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 11_000_000_000L);

  /** The Vert.x instance comes from VertxExtension, which closes it (and with it this link) after the class. */
  @BeforeAll
  static void connect(Vertx vertx) {
    redis = new RedisLink(vertx, TestServices.redisUrl());
    store = TestSeatScripts.on(redis, List::of);
  }

  static Response redis(Request r) {
    return Await.result(redis.send(r));
  }

  static Double due(long ev) {
    Response r = redis(Request.cmd(Command.ZSCORE).arg(Keyspace.sweepDue().get(0)).arg(ev));
    return r == null ? null : r.toDouble();
  }

  static void expire(long ev, int seat) {
    redis(Request.cmd(Command.ZADD).arg(Keyspace.seatScript(ev, null).get(1)).arg("XX").arg(1).arg(seat));
  }

  @Test
  @DisplayName("a hold puts its event in the index at its expiry; the sweep frees it and drops the entry")
  void holdsIndexTheirEventAndTheSweepSettlesIt() {
    long ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
    assertThat(due(ev)).isNull();
    SeatResult held = Await.result(store.hold(ev, "ann", List.of(1, 2), 60_000, 4, 10));
    assertThat(held.outcome()).isEqualTo(Outcome.HELD);
    // The mark is sent right after the answer on the same connection: a read behind it sees it.
    assertThat(due(ev)).isEqualTo((double) held.expiresAt());
    // Not due yet: a pass leaves it alone.
    Await.result(store.sweepDue(1000, 1000));
    assertThat(due(ev)).isEqualTo((double) held.expiresAt());

    expire(ev, 1);
    expire(ev, 2);
    // As if the holds had expired at their time: the entry is due.
    redis(Request.cmd(Command.ZADD).arg(Keyspace.sweepDue().get(0)).arg(1).arg(ev));
    Await.result(store.sweepDue(1000, 1000));
    assertThat(Await.result(store.snapshot(ev)).held()).isEmpty();
    assertThat(due(ev)).isNull();
  }

  @Test
  @DisplayName("after a sweep the entry moves to the next expiry; events without holds never enter the index")
  void theEntryFollowsTheNextExpiry() {
    long quiet = nextEvent.incrementAndGet();
    Await.result(store.init(quiet));
    long ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
    Await.result(store.hold(ev, "ann", List.of(1), 60_000, 4, 10));
    SeatResult later = Await.result(store.hold(ev, "bob", List.of(2), 120_000, 4, 10));
    expire(ev, 1);
    redis(Request.cmd(Command.ZADD).arg(Keyspace.sweepDue().get(0)).arg(1).arg(ev));
    Await.result(store.sweepDue(1000, 1000));
    assertThat(due(ev)).isEqualTo((double) later.expiresAt());
    assertThat(due(quiet)).isNull();
    assertThat(Await.result(store.snapshot(ev)).held().getList()).containsExactly(2);
  }

  @Test
  @DisplayName("a hold marked while its event is due keeps the entry due, so a sweep that read it before cannot drop it")
  void aMarkDuringASweepKeepsTheEventDue() {
    long ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
    String key = Keyspace.sweepDue().get(0);
    redis(Request.cmd(Command.ZADD).arg(key).arg(5).arg(ev));
    // A sweeper read score 5, swept, found nothing (''), and is about to settle; a hold marks first.
    store.markDue(ev, System.currentTimeMillis() + 60_000);
    assertThat(due(ev)).isEqualTo(4.0);
    // The settle of the stale read leaves the entry due: the next pass sweeps the event again.
    SeatScriptsTestAccess.settle(redis, ev, "5", "");
    assertThat(due(ev)).isEqualTo(4.0);
    SeatScriptsTestAccess.settle(redis, ev, "4", "");
    assertThat(due(ev)).isNull();
  }
  @Test
  @DisplayName("only a hold that expires before every other hold of its event marks the index; the later ones are swept in time")
  void onlyTheEarliestHoldMarksTheIndex() {
    long ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
    SeatResult first = Await.result(store.hold(ev, "ann", List.of(1), 60_000, 4, 10));
    assertThat(due(ev)).isEqualTo((double) first.expiresAt());
    // Expiring after the first hold: no mark, the entry stays at the first's expiry.
    SeatResult later = Await.result(store.hold(ev, "bob", List.of(2), 60_000, 4, 10));
    assertThat(later.expiresAt()).isGreaterThanOrEqualTo(first.expiresAt());
    redis(Request.cmd(Command.PING)); // behind any mark on the same connection
    assertThat(due(ev)).isEqualTo((double) first.expiresAt());
    // Expiring before every other hold: it marks.
    SeatResult shorter = Await.result(store.hold(ev, "cid", List.of(3), 1_000, 4, 10));
    assertThat(shorter.outcome()).isEqualTo(Outcome.HELD);
    assertThat(due(ev)).isEqualTo((double) shorter.expiresAt());
  }

  @Test
  @DisplayName("a hold that did not mark, made between a sweep and its settle, is still in the settled entry")
  void anUnmarkedHoldBetweenASweepAndItsSettleIsNotLost() {
    long ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
    Await.result(store.hold(ev, "ann", List.of(1), 60_000, 4, 10));
    SeatResult dan = Await.result(store.hold(ev, "dan", List.of(4), 60_000, 4, 10));
    expire(ev, 1);
    String key = Keyspace.sweepDue().get(0);
    redis(Request.cmd(Command.ZADD).arg(key).arg(5).arg(ev));
    // A sweeper read score 5 and swept (seat 1 freed; the next expiry is dan's) ...
    assertThat(Await.result(store.sweep(ev, 100))).isEqualTo(1);
    // ... then a hold expiring after dan's comes in: not the earliest, so it sends no mark ...
    SeatResult bob = Await.result(store.hold(ev, "bob", List.of(2), 60_000, 4, 10));
    redis(Request.cmd(Command.PING));
    assertThat(due(ev)).isEqualTo(5.0);
    // ... and the settle puts the entry at dan's expiry, no later than bob's: bob's hold is swept in time.
    SeatScriptsTestAccess.settle(redis, ev, "5", Long.toString(dan.expiresAt()));
    assertThat(due(ev)).isEqualTo((double) dan.expiresAt()).isLessThanOrEqualTo((double) bob.expiresAt());
  }
}
