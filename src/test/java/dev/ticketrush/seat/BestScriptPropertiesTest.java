package dev.ticketrush.seat;

import dev.ticketrush.event.Category;
import dev.ticketrush.event.Event;
import dev.ticketrush.event.QueueSettings;
import dev.ticketrush.event.RowCategory;
import dev.ticketrush.event.SeatArea;
import dev.ticketrush.event.Section;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * best.lua against a brute-force reference of the contract's order, over random venues and random seat maps
 * (free, held by someone else, sold, held but expired and not yet swept), against real Redis. Every row has a
 * random price category (c1 at 1000, c2 at 2000, c3 at 3000) and a request may ask for one category and a
 * maximum price: the candidates come from {@link Event#bestCandidates}, the reference filters rows itself.
 */
class BestScriptPropertiesTest {
  static final int FREE = 0;
  static final int HELD = 1;
  static final int SOLD = 2;
  static final int EXPIRED = 3;

  static Vertx vertx;
  static RedisLink redis;
  static SeatScripts store;
  static final AtomicLong nextEvent = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 8_000_000_000L);

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    redis = new RedisLink(vertx, TestServices.redisUrl());
    store = BestScriptTest.newStore(redis);
  }

  @AfterContainer
  static void stop() {
    redis.close();
    Await.result(vertx.close());
  }

  static final List<Category> CATEGORIES = List.of(new Category("c1", "One", 1000), new Category("c2", "Two", 2000),
      new Category("c3", "Three", 3000));

  /**
   * A venue, the state of each seat (index = seat id - 1), how many seats are wanted and from where: a section,
   * a category and a maximum price (each null: any).
   */
  record Scenario(List<Section> sections, int[] states, int count, String section, String category, Long maxPrice) {
    int seatCount() {
      return states.length;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("count=" + count + " section=" + section + " category=" + category
          + " maxPrice=" + maxPrice + "\n");
      int id = 0;
      for (Section s : sections) {
        for (int r = 0; r < s.rows(); r++) {
          sb.append(s.name()).append(r + 1).append(' ').append(s.categoryOfRow(r + 1)).append(' ');
          for (int k = 0; k < s.seatsPerRow(); k++) {
            sb.append(".hSx".charAt(states[id++]));
          }
          sb.append('\n');
        }
      }
      return sb.toString();
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Section> section = Combinators.combine(
            Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 30))
        .as((rows, perRow) -> new Section("S", rows, perRow));
    Arbitrary<List<Integer>> rowCategories = Arbitraries.integers().between(1, 3).list().ofSize(3);
    return Combinators.combine(section, rowCategories).as(Tuple::of).list().ofMinSize(1).ofMaxSize(3).flatMap(raw -> {
      List<Section> sections = new ArrayList<>();
      int seats = 0;
      for (int i = 0; i < raw.size(); i++) {
        Section shape = raw.get(i).get1();
        List<RowCategory> priced = new ArrayList<>();
        for (int r = 1; r <= shape.rows(); r++) {
          priced.add(new RowCategory(r, r, "c" + raw.get(i).get2().get(r - 1)));
        }
        sections.add(new Section("S" + i, shape.rows(), shape.seatsPerRow(), null, priced, false, 0));
        seats += shape.seatCount();
      }
      int total = seats;
      // A random density per scenario, so nearly empty and nearly full venues both come up.
      Arbitrary<int[]> states = Arbitraries.integers().between(1, 40).flatMap(freeWeight -> Arbitraries.frequency(
              Tuple.of(freeWeight, FREE), Tuple.of(3, HELD), Tuple.of(2, SOLD), Tuple.of(1, EXPIRED))
          .list().ofSize(total)
          .map(l -> l.stream().mapToInt(Integer::intValue).toArray()));
      Arbitrary<String> only = Arbitraries.integers().between(-1, sections.size() - 1)
          .map(i -> i < 0 ? null : "S" + i);
      Arbitrary<String> category = Arbitraries.of("c1", "c2", "c3").injectNull(0.6);
      Arbitrary<Long> maxPrice = Arbitraries.of(999L, 1000L, 2500L).injectNull(0.5);
      return Combinators.combine(states, Arbitraries.integers().between(1, 5), only, category, maxPrice)
          .as((st, count, sec, cat, max) -> new Scenario(sections, st, count, sec, cat, max));
    });
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void choosesExactlyWhatTheReferenceChoosesAndNeverAnAvoidableOrphan(@ForAll("scenarios") Scenario s) {
    long ev = nextEvent.incrementAndGet();
    Await.result(store.init(ev));
    List<Integer> held = new ArrayList<>();
    List<Integer> sold = new ArrayList<>();
    List<Integer> expired = new ArrayList<>();
    for (int i = 0; i < s.seatCount(); i++) {
      switch (s.states()[i]) {
        case HELD -> held.add(i + 1);
        case SOLD -> sold.add(i + 1);
        case EXPIRED -> {
          held.add(i + 1);
          expired.add(i + 1);
        }
        default -> { }
      }
    }
    if (!held.isEmpty()) {
      assertThat(Await.result(store.hold(ev, "other", held, 60_000, 100_000, s.seatCount())).outcome()).isEqualTo(Outcome.HELD);
    }
    for (int seat : expired) {
      Await.result(redis.send(Request.cmd(Command.ZADD).arg(Keyspace.seatScript(ev, null).get(1)).arg(1).arg(seat)));
    }
    if (!sold.isEmpty()) {
      Await.result(store.sell(ev, null, sold));
    }
    long before = Await.result(store.snapshot(ev)).version();

    Event event = new Event(ev, "property", s.sections(), s.seatCount(), 60_000, 100, QueueSettings.DISABLED, null, null,
        Instant.now(), "USD", CATEGORIES, null, null);
    List<SeatArea> candidates = event.bestCandidates(s.section(), s.category(), s.maxPrice());
    SeatResult r = Await.result(store.best(ev, "me", s.count(), candidates, 60_000, 100));
    List<Integer> expected = reference(s);

    if (expected == null) {
      assertThat(r.outcome()).as(s.toString()).isEqualTo(Outcome.SEATS_NOT_AVAILABLE);
      // Only the expired holds became AVAILABLE (the script frees what is due before choosing).
      assertThat(Await.result(store.snapshot(ev)).version()).isEqualTo(before + expired.size());
      return;
    }
    assertThat(r.outcome()).as(s.toString()).isEqualTo(Outcome.HELD);
    assertThat(r.seats()).as(s.toString()).isEqualTo(expected);
    assertThat(r.version()).isEqualTo(before + expired.size() + s.count());
    if (makesOrphan(s, r.seats().get(0))) {
      assertThat(anyOrphanFreeBlock(s)).as("avoidable orphan\n" + s).isFalse();
    }
    assertThat(Await.result(store.mine(ev, "me"))).extracting(HeldSeat::seat).isEqualTo(expected);
  }

  // ---- the reference: every block of every candidate row, compared by the contract's order ----

  interface BlockVisitor {
    void block(int rowIndex, int rowFirst, int n, int p);
  }

  /** Every block of count free seats side by side in a candidate row; rowIndex grows in section, row order. */
  static void forEachFreeBlock(Scenario s, BlockVisitor v) {
    int first = 1;
    int rowIndex = 0;
    for (Section sec : s.sections()) {
      if (s.section() == null || s.section().equals(sec.name())) {
        int n = sec.seatsPerRow();
        for (int r = 0; r < sec.rows(); r++) {
          int rowFirst = first + r * n;
          String category = sec.categoryOfRow(r + 1);
          long price = 1000L * Integer.parseInt(category.substring(1));
          if (s.category() != null && !s.category().equals(category) || s.maxPrice() != null && price > s.maxPrice()) {
            rowIndex++;
            continue;
          }
          for (int p = 1; p + s.count() - 1 <= n; p++) {
            boolean allFree = true;
            for (int k = p; k < p + s.count(); k++) {
              allFree &= free(s, rowFirst + k - 1);
            }
            if (allFree) {
              v.block(rowIndex, rowFirst, n, p);
            }
          }
          rowIndex++;
        }
      }
      first += sec.seatCount();
    }
  }

  static boolean free(Scenario s, int seat) {
    int st = s.states()[seat - 1];
    return st == FREE || st == EXPIRED;
  }

  /** Seat at position k of the row (1..n) is free; positions outside the row count as taken (a row end). */
  static boolean freeAt(Scenario s, int rowFirst, int n, int k) {
    return k >= 1 && k <= n && free(s, rowFirst + k - 1);
  }

  /** One free seat left alone right before or after the block. */
  static boolean orphan(Scenario s, int rowFirst, int n, int p) {
    int end = p + s.count() - 1;
    boolean left = freeAt(s, rowFirst, n, p - 1) && !freeAt(s, rowFirst, n, p - 2);
    boolean right = freeAt(s, rowFirst, n, end + 1) && !freeAt(s, rowFirst, n, end + 2);
    return left || right;
  }

  static List<Integer> reference(Scenario s) {
    long[][] best = {null};
    int[] bestSeat = {0};
    forEachFreeBlock(s, (rowIndex, rowFirst, n, p) -> {
      // Doubled centre distance: |(p + (c-1)/2) - (n+1)/2| * 2.
      long[] key = {orphan(s, rowFirst, n, p) ? 1 : 0, rowIndex, Math.abs(2L * p + s.count() - n - 2), p};
      if (best[0] == null || compare(key, best[0]) < 0) {
        best[0] = key;
        bestSeat[0] = rowFirst + p - 1;
      }
    });
    if (best[0] == null) {
      return null;
    }
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < s.count(); k++) {
      out.add(bestSeat[0] + k);
    }
    return out;
  }

  static int compare(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return Long.compare(a[i], b[i]);
      }
    }
    return 0;
  }

  static boolean makesOrphan(Scenario s, int firstSeat) {
    int id = 1;
    for (Section sec : s.sections()) {
      if (firstSeat < id + sec.seatCount()) {
        int n = sec.seatsPerRow();
        int rowFirst = id + (firstSeat - id) / n * n;
        return orphan(s, rowFirst, n, firstSeat - rowFirst + 1);
      }
      id += sec.seatCount();
    }
    throw new IllegalArgumentException("seat " + firstSeat);
  }

  static boolean anyOrphanFreeBlock(Scenario s) {
    boolean[] found = {false};
    forEachFreeBlock(s, (rowIndex, rowFirst, n, p) -> found[0] |= !orphan(s, rowFirst, n, p));
    return found[0];
  }
}
