package dev.ticketrush.seat;

import dev.ticketrush.event.Allocation;
import dev.ticketrush.event.Section;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presale in the hold and best scripts (access.lua), against real Redis: reserved seats need a code of their
 * allocation until the release by Redis' clock, a code binds to the first user who presents it, best available
 * never chooses seats the caller may not hold, and the codes come back after Redis lost them.
 */
@ExtendWith(VertxExtension.class)
class PresaleScriptTest {
  static RedisLink redis;
  static final AtomicLong nextEvent = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 8_000_000_000L);
  /** A: seats 1..10 (fanclub), B: 11..20 (public), C: 21..30 (cardholders). */
  static final List<Section> LAYOUT = List.of(new Section("A", 1, 10), new Section("B", 1, 10), new Section("C", 1, 10));
  TestSeatScripts.CodesInMemory codesInDb;
  SeatScripts store;
  long ev;

  @BeforeAll
  static void connect(Vertx vertx) {
    redis = new RedisLink(vertx, TestServices.redisUrl());
  }

  @BeforeEach
  void newEvent() {
    codesInDb = new TestSeatScripts.CodesInMemory();
    store = TestSeatScripts.withCodes(redis, List::of, () -> SaleRules.OPEN, codesInDb);
    ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
  }

  static String reservations(long fanclubRelease, long cardholdersRelease) {
    return Access.reservations(List.of(new Allocation.Reserved(1, 10, "fanclub", fanclubRelease),
        new Allocation.Reserved(21, 30, "cardholders", cardholdersRelease)));
  }

  static final long LATER = System.currentTimeMillis() + 3_600_000;
  static final String RESERVED = reservations(LATER, LATER);

  /** Mints a code of the allocation ("PostgreSQL" and Redis, as the mint route does); answers its hash. */
  String mint(String allocation) {
    String hash = AccessCodes.hashOf(AccessCodes.newCode());
    AccessCodeStore.Stored code = new AccessCodeStore.Stored(hash, allocation, null);
    codesInDb.codes.add(code);
    Await.result(store.addCodes(ev, List.of(code)));
    return hash;
  }

  SeatResult hold(String user, String codeHash, String reservations, Integer... seats) {
    return Await.result(store.hold(ev, user, List.of(seats), 60_000, 10, 30, new Access(codeHash, reservations)));
  }

  /** Best available among whole sections (every one, or only the named one). */
  SeatResult bestNow(String user, String codeHash, String reservations, int count, String section) {
    List<dev.ticketrush.event.SeatArea> areas = new ArrayList<>();
    int first = 1;
    for (Section s : LAYOUT) {
      if (section == null || section.equals(s.name())) {
        areas.add(new dev.ticketrush.event.SeatArea(first, s.rows(), s.seatsPerRow(), false));
      }
      first += s.seatCount();
    }
    return Await.result(store.best(ev, user, count, areas, 60_000, 10, new Access(codeHash, reservations)));
  }

  long redisNowMs() {
    Response t = Await.result(redis.send(Request.cmd(Command.TIME)));
    return t.get(0).toLong() * 1000 + t.get(1).toLong() / 1000;
  }

  @Test
  @DisplayName("a reserved seat without a code is seat_reserved and nothing is held; a public one is held")
  void reservedWithoutCode() {
    SeatResult r = hold("walk-in", "", RESERVED, 12, 3, 25);
    assertThat(r.outcome()).isEqualTo(Outcome.SEAT_RESERVED);
    assertThat(r.seats()).containsExactly(3, 25);
    assertThat(Await.result(store.snapshot(ev)).held()).isEmpty();
    assertThat(hold("walk-in", "", RESERVED, 12).outcome()).isEqualTo(Outcome.HELD);
  }

  @Test
  @DisplayName("a code opens its own allocation's seats only, and binds to the first user who presents it")
  void codeOpensItsAllocationAndBindsToItsFirstUser() {
    String fan = mint("fanclub");
    assertThat(hold("ann", fan, RESERVED, 1, 2, 11).outcome()).isEqualTo(Outcome.HELD);
    // The cardholders' section stays closed to a fanclub code.
    SeatResult other = hold("ann", fan, RESERVED, 21);
    assertThat(other.outcome()).isEqualTo(Outcome.SEAT_RESERVED);
    assertThat(other.seats()).containsExactly(21);
    // Bound to ann: anyone else presenting it is refused, whatever they ask for, and holds nothing.
    assertThat(hold("bob", fan, RESERVED, 3).outcome()).isEqualTo(Outcome.ACCESS_CODE_INVALID);
    assertThat(hold("bob", fan, RESERVED, 15).outcome()).isEqualTo(Outcome.ACCESS_CODE_INVALID);
    assertThat(bestNow("bob", fan, RESERVED, 1, null).outcome()).isEqualTo(Outcome.ACCESS_CODE_INVALID);
    assertThat(hold("ann", fan, RESERVED, 3).outcome()).isEqualTo(Outcome.HELD);
    // Holding again what one holds succeeds without the code too (a reload that lost it); more does not.
    assertThat(hold("ann", "", RESERVED, 1, 2).outcome()).isEqualTo(Outcome.HELD);
    assertThat(hold("ann", "", RESERVED, 1, 4).seats()).containsExactly(4);
    // PostgreSQL learnt the binding before the first answer.
    assertThat(codesInDb.codes).singleElement().extracting(AccessCodeStore.Stored::boundTo).isEqualTo("ann");
  }

  @Test
  @DisplayName("an unknown code is refused, also on an event without allocations")
  void unknownCode() {
    String unknown = AccessCodes.hashOf(AccessCodes.newCode());
    assertThat(hold("ann", unknown, RESERVED, 11).outcome()).isEqualTo(Outcome.ACCESS_CODE_INVALID);
    assertThat(hold("ann", unknown, "", 11).outcome()).isEqualTo(Outcome.ACCESS_CODE_INVALID);
    assertThat(hold("ann", "*", RESERVED, 11).outcome()).isEqualTo(Outcome.ACCESS_CODE_INVALID);
  }

  @Test
  @DisplayName("best available without a code never chooses reserved seats; with one it may choose its allocation's")
  void bestAvailable() {
    // Section A comes first in the event's order, but it is closed to a caller without a code.
    SeatResult walkIn = bestNow("walk-in", "", RESERVED, 2, null);
    assertThat(walkIn.outcome()).isEqualTo(Outcome.HELD);
    assertThat(walkIn.seats()).allSatisfy(s -> assertThat(s).isBetween(11, 20));
    assertThat(bestNow("walk-in-2", "", RESERVED, 1, "A").outcome()).isEqualTo(Outcome.SEATS_NOT_AVAILABLE);
    String fan = mint("fanclub");
    SeatResult fanBest = bestNow("ann", fan, RESERVED, 2, null);
    assertThat(fanBest.outcome()).isEqualTo(Outcome.HELD);
    assertThat(fanBest.seats()).allSatisfy(s -> assertThat(s).isBetween(1, 10));
    // Section C (cardholders) is closed to a fanclub code: best available there finds nothing.
    assertThat(bestNow("ann", fan, RESERVED, 1, "C").outcome()).isEqualTo(Outcome.SEATS_NOT_AVAILABLE);
  }

  @Test
  @DisplayName("a released allocation is public: holds and best available take its seats without a code")
  void released() {
    long past = redisNowMs() - 1;
    String released = reservations(past, LATER);
    assertThat(hold("walk-in", "", released, 1).outcome()).isEqualTo(Outcome.HELD);
    assertThat(bestNow("walk-in-2", "", released, 2, null).seats()).allSatisfy(s -> assertThat(s).isBetween(1, 10));
    assertThat(hold("walk-in", "", released, 21).outcome()).isEqualTo(Outcome.SEAT_RESERVED);
  }

  @Test
  @DisplayName("at releaseAt by Redis' clock the seats turn public, with no seat change logged")
  void releaseByRedisClock() {
    long releaseAt = redisNowMs() + 2_000;
    String reservations = reservations(releaseAt, LATER);
    long versionBefore = Await.result(store.snapshot(ev)).version();
    record Try(long before, long after, Outcome outcome) {
    }
    List<Try> tries = new ArrayList<>();
    Try last = Await.until(() -> {
      long before = redisNowMs();
      Outcome o = hold("walk-in", "", reservations, 5).outcome();
      Try t = new Try(before, redisNowMs(), o);
      tries.add(t);
      return t;
    }, t -> t.outcome() == Outcome.HELD, Duration.ofSeconds(30));
    assertThat(last.outcome()).isEqualTo(Outcome.HELD);
    assertThat(last.after()).isGreaterThanOrEqualTo(releaseAt);
    // Every answer given wholly before releaseAt refused; every one asked at or after it would hold.
    assertThat(tries).allSatisfy(t -> {
      if (t.after() < releaseAt) {
        assertThat(t.outcome()).isEqualTo(Outcome.SEAT_RESERVED);
      }
      if (t.before() >= releaseAt) {
        assertThat(t.outcome()).isEqualTo(Outcome.HELD);
      }
    });
    assertThat(tries.get(0).outcome()).isEqualTo(Outcome.SEAT_RESERVED);
    // The release itself changed no seat: the one change is the hold.
    assertThat(Await.result(store.since(ev, versionBefore, 100))).containsExactly(new SeatChange(5, "HELD", versionBefore + 1));
  }

  @Test
  @DisplayName("after Redis lost the codes, the next hold restores them and their bindings from PostgreSQL")
  void codesComeBackAfterDataLoss() {
    String fan = mint("fanclub");
    String unused = mint("fanclub");
    assertThat(hold("ann", fan, RESERVED, 1).outcome()).isEqualTo(Outcome.HELD);
    Await.result(redis.send(Request.cmd(Command.DEL).arg(Keyspace.seatScript(ev, null).get(11))));
    assertThat(hold("bob", fan, RESERVED, 2).outcome()).isEqualTo(Outcome.ACCESS_CODE_INVALID);
    assertThat(hold("ann", fan, RESERVED, 2).outcome()).isEqualTo(Outcome.HELD);
    assertThat(hold("cy", unused, RESERVED, 3).outcome()).isEqualTo(Outcome.HELD);
    assertThat(hold("dee", "", RESERVED, 4).outcome()).isEqualTo(Outcome.SEAT_RESERVED);
  }

  @Test
  @DisplayName("after Redis lost every key of the event, thousands of codes come back in parts, bindings included")
  void everyKeyLost() {
    String ann = mint("fanclub");
    assertThat(hold("ann", ann, RESERVED, 1).outcome()).isEqualTo(Outcome.HELD);
    // More codes than one restore call carries: the last part must arrive too, and only then the mark.
    List<AccessCodeStore.Stored> many = new ArrayList<>();
    for (int i = 0; i < PresaleCodes.CODES_PER_CALL * 2 + 7; i++) {
      many.add(new AccessCodeStore.Stored(AccessCodes.hashOf(AccessCodes.newCode()), i % 2 == 0 ? "fanclub" : "cardholders", null));
    }
    codesInDb.codes.addAll(many);
    List<Object> keys = new ArrayList<>(Keyspace.seatScript(ev, "ann"));
    Request del = Request.cmd(Command.DEL);
    keys.forEach(k -> del.arg(k.toString()));
    Await.result(redis.send(del));

    assertThat(hold("bob", ann, RESERVED, 2).outcome()).isEqualTo(Outcome.ACCESS_CODE_INVALID);
    AccessCodeStore.Stored last = many.get(many.size() - 1);
    assertThat(last.allocation()).isEqualTo("fanclub");
    assertThat(hold("cy", last.hash(), RESERVED, 3).outcome()).isEqualTo(Outcome.HELD);
    assertThat(hold("dee", many.get(many.size() - 2).hash(), RESERVED, 22).outcome()).isEqualTo(Outcome.HELD);
    assertThat(hold("ann", ann, RESERVED, 4).outcome()).isEqualTo(Outcome.HELD);
  }
}
