package dev.ticketrush.seat;

import dev.ticketrush.event.Section;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every branch of best.lua, and the taken bitmap every seat script keeps, against real Redis. */
@ExtendWith(VertxExtension.class)
class BestScriptTest {
  static RedisLink redis;
  static final AtomicLong nextEvent = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 7_000_000_000L);
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
    store = newStore(redis);
    ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
  }

  static SeatScripts newStore(RedisLink redis) {
    return TestSeatScripts.on(redis, () -> soldInDb);
  }


  static List<Section> layout(Section... sections) {
    return List.of(sections);
  }

  SeatResult best(String user, int count, String section, List<Section> layout) {
    return best(user, count, section, 4, layout);
  }

  SeatResult best(String user, int count, String section, int max, List<Section> layout) {
    return Await.result(store.best(ev, user, count, section, 60_000, max, layout));
  }

  /** Holds for another user with a limit that never bites. */
  void holdAs(String user, int... seats) {
    List<Integer> list = IntStream.of(seats).boxed().toList();
    assertThat(Await.result(store.hold(ev, user, list, 60_000, 1000, 100_000)).outcome()).isEqualTo(Outcome.HELD);
  }

  static int[] range(int from, int to) {
    return IntStream.rangeClosed(from, to).toArray();
  }

  /** Makes holds expire now without waiting: their expiry moves into the past (the sweeper has not run). */
  void expire(int... seats) {
    for (int s : seats) {
      Await.result(redis.send(Request.cmd(Command.ZADD).arg(Keyspace.seatScript(ev, null).get(1)).arg(1).arg(s)));
    }
  }

  long version() {
    return Await.result(store.snapshot(ev)).version();
  }

  /** The seats whose bit is 1 in the taken bitmap (bit 0, the "built" mark, excluded). */
  TreeSet<Integer> takenBits() {
    Response r = Await.result(redis.send(Request.cmd(Command.GET).arg(Keyspace.taken(ev))));
    TreeSet<Integer> out = new TreeSet<>();
    if (r == null) {
      return out;
    }
    Buffer b = r.toBuffer();
    for (int i = 0; i < b.length(); i++) {
      int v = b.getByte(i) & 0xFF;
      for (int k = 0; k < 8; k++) {
        if ((v & (0x80 >> k)) != 0 && i * 8 + k > 0) {
          out.add(i * 8 + k);
        }
      }
    }
    return out;
  }

  /** What the bitmap must equal: every seat in the holds hash (live or expired, until swept) or sold. */
  TreeSet<Integer> heldOrSold() {
    SeatSnapshot s = Await.result(store.snapshot(ev));
    TreeSet<Integer> out = new TreeSet<>();
    s.held().forEach(o -> out.add((Integer) o));
    s.sold().forEach(o -> out.add((Integer) o));
    return out;
  }

  void assertBitmapConsistent() {
    assertThat(takenBits()).isEqualTo(heldOrSold());
  }

  @Test
  void emptyVenueGetsTheCentreOfRowOneWithOneVersionStepPerSeat() {
    SeatResult r = best("alice", 2, null, layout(new Section("A", 3, 10)));
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.seats()).containsExactly(5, 6);
    assertThat(r.version()).isEqualTo(2);
    assertThat(r.expiresAt()).isGreaterThan(System.currentTimeMillis() + 50_000);
    assertThat(Await.result(store.since(ev, 0, 10))).containsExactly(new SeatChange(5, "HELD", 1), new SeatChange(6, "HELD", 2));
    assertThat(Await.result(store.mine(ev, "alice"))).extracting(HeldSeat::seat).containsExactly(5, 6);
    assertThat(Await.result(store.mine(ev, "alice"))).extracting(HeldSeat::expiresAtMs).containsOnly(r.expiresAt());
    // Row 1 still has two exact 4-seat runs beside the taken centre, equally far from it: the lower ids win.
    assertThat(best("bob", 4, null, layout(new Section("A", 3, 10))).seats()).containsExactly(1, 2, 3, 4);
    assertBitmapConsistent();
  }

  @Test
  void equalCentreDistanceGoesToTheLowestSeatId() {
    // 9 seats, 2 wanted: 4-5 and 5-6 are both half a seat off the centre (seat 5).
    assertThat(best("alice", 2, null, layout(new Section("A", 1, 9))).seats()).containsExactly(4, 5);
  }

  @Test
  void sectionFilterPicksOnlyFromThatSection() {
    List<Section> l = layout(new Section("A", 2, 10), new Section("B", 2, 10));
    assertThat(best("alice", 2, "B", l).seats()).containsExactly(25, 26);
    assertThat(best("bob", 2, null, l).seats()).containsExactly(5, 6);
    assertThat(best("carol", 1, "C", l).outcome()).isEqualTo(Outcome.INVALID_REQUEST);
  }

  @Test
  void fullRowOrRowWithoutALongEnoughRunGoesToTheNextRow() {
    List<Section> l = layout(new Section("A", 3, 10));
    holdAs("bob", range(1, 10));
    assertThat(best("alice", 2, null, l).seats()).containsExactly(15, 16);
    // Row 2 keeps free seats, but none side by side: on to row 3.
    holdAs("carol", 11, 13, 17, 19);
    SeatResult r = best("dave", 2, null, l);
    assertThat(r.seats()).containsExactly(25, 26);
    assertBitmapConsistent();
  }

  @Test
  void soldAndHeldSeatsAreSkipped() {
    Await.result(store.sell(ev, null, List.of(5)));
    holdAs("bob", 6);
    // Free runs 1-4 and 7-10: 3-4 and 7-8 are equally far from the centre, the lower ids win.
    SeatResult r = best("alice", 2, null, layout(new Section("A", 1, 10)));
    assertThat(r.seats()).containsExactly(3, 4);
    assertThat(best("carol", 2, null, layout(new Section("A", 1, 10))).seats()).containsExactly(7, 8);
  }

  @Test
  void orphanFreeBlockInTheSameRowBeatsACloserOneThatLeavesASingleSeat() {
    // Row 1 of 10: 4 and 8 taken. Runs 1-3, 5-7, 9-10: every pair in 1-3 and 5-7 leaves one seat alone;
    // 9-10 leaves none, so it wins though it is furthest from the centre.
    holdAs("bob", 4, 8);
    assertThat(best("alice", 2, null, layout(new Section("A", 2, 10))).seats()).containsExactly(9, 10);
  }

  @Test
  void laterRowWithoutAnOrphanBeatsAnEarlierRowThatWouldLeaveOne() {
    holdAs("bob", 4, 8, 10);
    // Row 1 now only offers orphan-making pairs (1-3 and 5-7 runs of 3, seat 9 alone): row 2's centre wins.
    assertThat(best("alice", 2, null, layout(new Section("A", 2, 10))).seats()).containsExactly(15, 16);
  }

  @Test
  void laterSectionWithoutAnOrphanBeatsAnEarlierSectionThatWouldLeaveOne() {
    List<Section> l = layout(new Section("A", 1, 3), new Section("B", 1, 4));
    // A: 3 seats, any pair leaves one; B: 4 seats, the centre pair leaves one either side, the ends do not.
    assertThat(best("alice", 2, null, l).seats()).containsExactly(4, 5);
  }

  @Test
  void whenEveryBlockLeavesAnOrphanTheBestOfThemIsStillChosen() {
    List<Section> l = layout(new Section("A", 2, 3));
    // Every pair of a 3-seat row leaves one seat; 1-2 and 2-3 are equally central: row 1, lowest id.
    SeatResult r = best("alice", 2, null, l);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.seats()).containsExactly(1, 2);
    // Row 1 now has seat 3 alone; row 2 still gives a pair (leaving one, the only way).
    assertThat(best("bob", 2, null, l).seats()).containsExactly(4, 5);
  }

  @Test
  void anExpiredHoldIsFreeEvenBeforeTheSweep() {
    List<Section> l = layout(new Section("A", 2, 8));
    holdAs("bob", range(1, 16));
    assertThat(best("alice", 2, null, l).outcome()).isEqualTo(Outcome.SEATS_NOT_AVAILABLE);
    assertThat(version()).isEqualTo(16);
    expire(4, 5);
    SeatResult r = best("alice", 2, null, l);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.seats()).containsExactly(4, 5);
    // The script first frees what is due, as the sweeper would (AVAILABLE, one step each), then holds.
    assertThat(r.version()).isEqualTo(20);
    assertThat(Await.result(store.since(ev, 16, 10))).containsExactly(new SeatChange(4, "AVAILABLE", 17),
        new SeatChange(5, "AVAILABLE", 18), new SeatChange(4, "HELD", 19), new SeatChange(5, "HELD", 20));
    assertThat(Await.result(store.mine(ev, "bob"))).extracting(HeldSeat::seat).doesNotContain(4, 5).hasSize(14);
    assertThat(Await.result(store.release(ev, "bob", 4)).outcome()).isEqualTo(Outcome.HOLD_NOT_FOUND);
    assertThat(Await.result(store.sweep(ev, 100))).isZero();
    assertBitmapConsistent();
  }

  @Test
  void atMostOneHundredExpiredHoldsAreFreedPerCallAndTheRestStayTakenForThatCall() {
    List<Section> l = layout(new Section("A", 1, 110));
    holdAs("bob", range(1, 110));
    expire(range(1, 110));
    SeatResult r = best("alice", 1, null, l);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    List<SeatChange> changes = Await.result(store.since(ev, 110, 200));
    assertThat(changes).filteredOn(c -> c.status().equals("AVAILABLE")).hasSize(100)
        .extracting(SeatChange::seat).contains(r.seats().get(0));
    // The ten still unswept are taken for that call; the next call frees them.
    assertThat(Await.result(store.snapshot(ev)).held()).hasSize(11);
    assertBitmapConsistent();
    best("carol", 1, null, l);
    assertThat(Await.result(store.snapshot(ev)).held()).hasSize(2);
    assertThat(Await.result(store.sweep(ev, 200))).isZero();
    assertBitmapConsistent();
  }

  @Test
  void limitCountsLiveHoldsAndChangesNothing() {
    List<Section> l = layout(new Section("A", 1, 10));
    holdAs("alice", 1, 2, 3);
    long before = version();
    SeatResult r = best("alice", 2, null, 4, l);
    assertThat(r.outcome()).isEqualTo(Outcome.HOLD_LIMIT);
    assertThat(r.seats()).containsExactly(3, 4);
    assertThat(best("bob", 5, null, 4, l).outcome()).isEqualTo(Outcome.HOLD_LIMIT);
    assertThat(version()).isEqualTo(before);
    // Expired holds do not count.
    expire(1, 2, 3);
    assertThat(best("alice", 2, null, 2, l).outcome()).isEqualTo(Outcome.HELD);
  }

  @Test
  void nothingFitsIsSeatsNotAvailableAndChangesNothing() {
    List<Section> l = layout(new Section("A", 2, 5), new Section("B", 1, 3));
    assertThat(best("alice", 6, null, 10, l).outcome()).isEqualTo(Outcome.SEATS_NOT_AVAILABLE);
    assertThat(best("alice", 4, "B", l).outcome()).isEqualTo(Outcome.SEATS_NOT_AVAILABLE);
    holdAs("bob", 2, 4, 7, 9);
    // A has no two free side by side any more; B's 3 seats give a pair (leaving one: the only way).
    assertThat(best("alice", 2, null, l).seats()).containsExactly(11, 12);
    assertThat(best("carol", 2, null, l).outcome()).isEqualTo(Outcome.SEATS_NOT_AVAILABLE);
    Await.result(store.sell(ev, null, List.of(1, 3, 5, 6, 8, 10, 13)));
    long before = version();
    assertThat(best("dave", 1, null, l).outcome()).isEqualTo(Outcome.SEATS_NOT_AVAILABLE);
    assertThat(version()).isEqualTo(before);
  }

  @Test
  void badArgumentsChangeNothing() {
    assertThat(Await.result(store.best(ev, "alice", 0, null, 60_000, 4, layout(new Section("A", 1, 10)))).outcome())
        .isEqualTo(Outcome.INVALID_REQUEST);
    assertThat(Await.result(store.best(ev, "alice", 2, null, 0, 4, layout(new Section("A", 1, 10)))).outcome())
        .isEqualTo(Outcome.INVALID_REQUEST);
    assertThat(version()).isZero();
  }

  @Test
  void afterRedisLostItsDataTheSoldSeatsAreRestoredBeforeChoosing() {
    List<Section> l = layout(new Section("A", 1, 4));
    holdAs("bob", 1);
    Await.result(store.sell(ev, null, List.of(2)));
    soldInDb = new ArrayList<>(List.of(2));
    Request del = Request.cmd(Command.DEL);
    Keyspace.seatScript(ev, "alice").forEach(del::arg);
    Await.result(redis.send(del));
    // not_ready → restore (sold 2) → run again: runs 1 and 3-4, so 3-4.
    SeatResult r = best("alice", 2, null, l);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.seats()).containsExactly(3, 4);
    assertBitmapConsistent();
  }

  @Test
  void aMissingBitmapIsRebuiltFromHoldsAndSoldSeats() {
    List<Section> l = layout(new Section("A", 1, 10));
    holdAs("bob", 5, 6);
    Await.result(store.sell(ev, null, List.of(4, 7)));
    Await.result(redis.send(Request.cmd(Command.DEL).arg(Keyspace.taken(ev))));
    // Another script's SETBIT on the missing key must not pass for a complete bitmap.
    holdAs("carol", 1);
    SeatResult r = best("alice", 2, null, l);
    // Taken after the rebuild: 1, 4-7. Runs 2-3 and 8-10; 2-3 leaves no single seat, 8-10 would.
    assertThat(r.seats()).containsExactly(2, 3);
    assertBitmapConsistent();
  }

  @Test
  void bitmapEqualsHeldOrSoldAfterEverySeatScript() {
    List<Section> l = layout(new Section("A", 2, 12));
    assertBitmapConsistent();
    holdAs("bob", 1, 2, 3, 20);
    assertBitmapConsistent();
    best("alice", 3, null, l);
    assertBitmapConsistent();
    assertThat(Await.result(store.release(ev, "bob", 2)).outcome()).isEqualTo(Outcome.RELEASED);
    assertBitmapConsistent();
    expire(1, 3);
    // Expired but unswept: still in the holds hash, still 1 in the bitmap.
    assertBitmapConsistent();
    assertThat(takenBits()).contains(1, 3);
    assertThat(Await.result(store.sweep(ev, 100))).isEqualTo(2);
    assertBitmapConsistent();
    assertThat(takenBits()).doesNotContain(1, 3);
    Await.result(store.sell(ev, null, List.of(20, 21, 22)));
    assertBitmapConsistent();
    assertThat(Await.result(store.pin(ev, "alice", List.of(6), 30_000, 24, "tr_test", "pin-1")).outcome()).isEqualTo(Outcome.PINNED);
    Await.result(store.unpin(ev, "alice", List.of(6), "tr_test", ""));
    assertBitmapConsistent();
    soldInDb = new ArrayList<>(List.of(20, 21, 22, 23));
    assertThat(Await.result(store.restore(ev))).isEqualTo(1);
    assertBitmapConsistent();
    assertThat(takenBits()).contains(23);
    Await.result(store.init(ev));
    assertBitmapConsistent();
    assertThat(heldOrSold()).isNotEmpty();
  }
}
