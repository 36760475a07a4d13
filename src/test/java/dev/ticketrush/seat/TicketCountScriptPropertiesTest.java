package dev.ticketrush.seat;

import dev.ticketrush.event.SeatArea;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owned count behind maxTicketsPerUser, against real Redis: after any sequence of holds, best-available
 * calls (seats and a standing area), releases, pins, unpins, sales, expiries and sweeps by three users, each
 * user's count equals what they hold (pinned or not, expired holds until freed) plus what was sold to them, and
 * nobody ever owns more than the cap. A restore from "PostgreSQL" then rebuilds the same counts from scratch.
 */
class TicketCountScriptPropertiesTest {
  static final int SEATS = 40;
  static final int CAP = 5;
  static final List<String> USERS = List.of("ann", "bob", "cat");
  /** Seats 1..30 are a 3 × 10 section, 31..40 a standing area. */
  static final List<SeatArea> SEATED = List.of(new SeatArea(1, 3, 10, false));
  static final List<SeatArea> FLOOR = List.of(new SeatArea(31, 0, 10, true));

  static Vertx vertx;
  static RedisLink redis;
  static final AtomicLong nextEvent = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 9_000_000_000L);

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    redis = new RedisLink(vertx, TestServices.redisUrl());
  }

  @AfterContainer
  static void stop() {
    redis.close();
    Await.result(vertx.close());
  }

  enum Kind { HOLD, BEST, BEST_FLOOR, RELEASE, PIN, UNPIN, SELL, EXPIRE, SWEEP }

  record Step(Kind kind, int user, int seat, int count) {
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(1, SEATS), Arbitraries.integers().between(1, 3))
        .as(Step::new).list().ofMinSize(5).ofMaxSize(40);
  }

  @Property(tries = 120)
  void everyCountIsHoldsPlusBoughtAndNeverPassesTheCap(@ForAll("steps") List<Step> steps) {
    long ev = nextEvent.incrementAndGet();
    List<SoldSeats.Sold> tickets = new ArrayList<>();
    SeatScripts store = TestSeatScripts.withBuyers(redis, () -> tickets, () -> new SaleRules(1, null, null, true, CAP));
    Await.result(store.init(ev, new SaleRules(1, null, null, true, CAP)));
    for (Step s : steps) {
      String user = USERS.get(s.user());
      switch (s.kind()) {
        case HOLD -> {
          SeatResult r = Await.result(store.hold(ev, user, List.of(s.seat()), 60_000, 10, SEATS));
          assertThat(r.outcome()).isIn(Outcome.HELD, Outcome.SEAT_UNAVAILABLE, Outcome.TICKET_LIMIT, Outcome.HOLD_LIMIT);
        }
        case BEST -> Await.result(store.best(ev, user, s.count(), SEATED, 60_000, 10));
        case BEST_FLOOR -> {
          SeatResult r = Await.result(store.best(ev, user, s.count(), FLOOR, 60_000, 10));
          if (r.outcome() == Outcome.HELD) {
            assertThat(r.seats()).hasSize(s.count()).allSatisfy(seat -> assertThat(seat).isBetween(31, 40));
          }
        }
        case RELEASE -> Await.result(store.release(ev, user, s.seat()));
        case PIN -> Await.result(store.pin(ev, user, List.of(s.seat()), 60_000, SEATS, "key-" + user + "-" + s.seat(), "pin-1"));
        case UNPIN -> Await.result(store.unpin(ev, user, List.of(s.seat()), "key-" + user + "-" + s.seat(), ""));
        case SELL -> {
          // The purchase path sells only what the buyer pinned; PostgreSQL then has the ticket.
          if (user.equals(owner(ev, s.seat())) && pinned(ev, s.seat())) {
            Await.result(store.sell(ev, user, List.of(s.seat())));
            tickets.add(new SoldSeats.Sold(s.seat(), user));
          }
        }
        case EXPIRE -> redis(Request.cmd(Command.ZADD).arg(key(ev, 1)).arg("XX").arg(1).arg(s.seat()));
        case SWEEP -> Await.result(store.sweep(ev, 100));
      }
      Map<String, Long> expected = recount(ev);
      assertThat(owned(ev)).as("after " + s + " in " + steps).isEqualTo(expected);
      expected.values().forEach(n -> assertThat(n).isLessThanOrEqualTo(CAP));
    }
    Map<String, Long> before = owned(ev);
    // Counts and buyers lost: the restore rebuilds both from "PostgreSQL's" tickets and the holds.
    redis(Request.cmd(Command.DEL).arg(key(ev, 9)).arg(key(ev, 10)));
    Await.result(store.restore(ev));
    assertThat(owned(ev)).isEqualTo(before);
  }

  static String key(long ev, int index) {
    return Keyspace.seatScript(ev, null).get(index);
  }

  static Response redis(Request r) {
    return Await.result(redis.send(r));
  }

  static String owner(long ev, int seat) {
    Response r = redis(Request.cmd(Command.HGET).arg(key(ev, 0)).arg(seat));
    return r == null ? null : r.toString();
  }

  static boolean pinned(long ev, int seat) {
    return redis(Request.cmd(Command.HEXISTS).arg(key(ev, 5)).arg(seat)).toInteger() == 1;
  }

  static Map<String, Long> owned(long ev) {
    Map<String, Long> out = new HashMap<>();
    Response all = redis(Request.cmd(Command.HGETALL).arg(key(ev, 9)));
    for (String field : all.getKeys()) {
      out.put(field, all.get(field).toLong());
    }
    return out;
  }

  /** Holds (unsold) per holder plus sold seats per buyer, from the keys themselves. */
  static Map<String, Long> recount(long ev) {
    Map<String, Long> out = new HashMap<>();
    Response holds = redis(Request.cmd(Command.HGETALL).arg(key(ev, 0)));
    for (String seat : holds.getKeys()) {
      if (redis(Request.cmd(Command.SISMEMBER).arg(key(ev, 2)).arg(seat)).toInteger() == 0) {
        out.merge(holds.get(seat).toString(), 1L, Long::sum);
      }
    }
    Response buyers = redis(Request.cmd(Command.HGETALL).arg(key(ev, 10)));
    for (String seat : buyers.getKeys()) {
      out.merge(buyers.get(seat).toString(), 1L, Long::sum);
    }
    return out;
  }
}
