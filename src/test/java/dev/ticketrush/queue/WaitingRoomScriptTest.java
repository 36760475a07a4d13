package dev.ticketrush.queue;

import dev.ticketrush.event.QueueSettings;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every branch of the waiting-room scripts (join, position, touch, admit) against real Redis. */
@ExtendWith(VertxExtension.class)
class WaitingRoomScriptTest {
  static RedisLink redis;

  /** The Vert.x instance comes from VertxExtension, which closes it (and with it this link) after the class. */
  @BeforeAll
  static void connect(Vertx vertx) {
    redis = new RedisLink(vertx, TestServices.redisUrl());
  }

  /** An event id no real event uses, so every test has its own keys. */
  static long freshEvent() {
    return 1_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
  }

  static QueueSettings queue(int rate, int maxActive) {
    return new QueueSettings(true, rate, maxActive, null, 600);
  }

  static WaitingRoom room(long idleMs, int maxBatch) {
    return new WaitingRoom(redis, new WaitingRoom.Tuning(idleMs, 200, maxBatch));
  }

  static QueueStatus.Waiting waiting(QueueStatus s) {
    assertThat(s).isInstanceOf(QueueStatus.Waiting.class);
    return (QueueStatus.Waiting) s;
  }

  static List<String> users(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void joinsGetFifoPlacesAndJoiningTwiceKeepsThePlace() {
    long ev = freshEvent();
    WaitingRoom room = room(20_000, 100);
    QueueSettings q = queue(10, 100);
    for (int i = 0; i < 5; i++) {
      QueueStatus.Waiting w = waiting(Await.result(room.join(ev, q, "u" + i)));
      assertThat(w.ahead()).isEqualTo(i);
      assertThat(w.served()).isZero();
      assertThat(w.provisional()).isFalse();
      assertThat(w.measuredRate()).isZero();
    }
    assertThat(waiting(Await.result(room.join(ev, q, "u2"))).ahead()).isEqualTo(2);
    assertThat(waiting(Await.result(room.position(ev, "u4"))).ahead()).isEqualTo(4);
    assertThat(Await.result(room.position(ev, "nobody"))).isInstanceOf(QueueStatus.Absent.class);
    assertThat(Await.failure(room.stillAdmitted(ev, "u0"))).isInstanceOfSatisfying(Rejection.class,
        p -> assertThat(p.outcome()).isEqualTo(Outcome.ADMISSION_REQUIRED));
  }

  @Test
  void theBucketStartsEmptyAndAdmitsInOrderNeverFasterThanTheRate() {
    long ev = freshEvent();
    WaitingRoom room = room(20_000, 100);
    // 2/s with a 200 ms burst window: the bucket holds at most one admission.
    QueueSettings q = queue(2, 100);
    users("u", 5).forEach(u -> Await.result(room.join(ev, q, u)));

    AdmissionRound opening = Await.result(room.admit(ev, q));
    assertThat(opening.open()).isTrue();
    assertThat(opening.admitted()).as("no burst when the queue opens").isZero();
    assertThat(opening.waiting()).isEqualTo(5);

    Await.pause(Duration.ofMillis(1_200));
    AdmissionRound first = Await.result(room.admit(ev, q));
    long afterFirst = System.nanoTime();
    assertThat(first.admitted()).as("capped at the bucket size though 2.4 credits accrued").isEqualTo(1);
    assertThat(first.served()).isEqualTo(1);
    AdmissionRound right = Await.result(room.admit(ev, q));
    long creditsSince = (System.nanoTime() - afterFirst) / 500_000_000L; // 2/s: one credit per 500 ms
    assertThat(right.admitted()).as("right away: the bucket is empty (a stalled box may have earned %d)", creditsSince)
        .isLessThanOrEqualTo((int) Math.min(1, creditsSince));
    if (right.admitted() > 0) {
      return; // the box stalled past a credit between the two rounds: what follows assumes one admission so far
    }
    assertThat(Await.result(room.position(ev, "u0"))).isInstanceOf(QueueStatus.Admitted.class);
    QueueStatus.Waiting next = waiting(Await.result(room.position(ev, "u1")));
    assertThat(next.ahead()).isZero();
    assertThat(next.served()).isEqualTo(1);

    Await.pause(Duration.ofMillis(600));
    assertThat(Await.result(room.admit(ev, q)).admitted()).isEqualTo(1);
    assertThat(Await.result(room.position(ev, "u1"))).isInstanceOf(QueueStatus.Admitted.class);
    assertThat(waiting(Await.result(room.position(ev, "u2"))).ahead()).isZero();
    assertThat(waiting(Await.result(room.position(ev, "u4"))).ahead()).isEqualTo(2);
  }

  @Test
  void neverMoreThanMaxActive() {
    long ev = freshEvent();
    WaitingRoom room = room(20_000, 100);
    QueueSettings q = queue(1000, 3);
    users("u", 10).forEach(u -> Await.result(room.join(ev, q, u)));
    Await.result(room.admit(ev, q));
    Await.pause(Duration.ofMillis(50));
    AdmissionRound full = Await.result(room.admit(ev, q));
    assertThat(full.admitted()).isEqualTo(3);
    assertThat(full.active()).isEqualTo(3);
    Await.pause(Duration.ofMillis(50));
    AdmissionRound again = Await.result(room.admit(ev, q));
    assertThat(again.admitted()).isZero();
    assertThat(again.active()).isEqualTo(3);
    assertThat(again.waiting()).isEqualTo(7);
    assertThat(Await.result(room.position(ev, "u2"))).isInstanceOf(QueueStatus.Admitted.class);
    assertThat(waiting(Await.result(room.position(ev, "u3"))).ahead()).isZero();
  }

  @Test
  void oneRoundAdmitsAtMostOneBatch() {
    long ev = freshEvent();
    WaitingRoom room = room(20_000, 2);
    QueueSettings q = queue(1000, 100);
    users("u", 5).forEach(u -> Await.result(room.join(ev, q, u)));
    Await.result(room.admit(ev, q));
    Await.pause(Duration.ofMillis(50));
    assertThat(Await.result(room.admit(ev, q)).admitted()).isEqualTo(2);
    assertThat(Await.result(room.admit(ev, q)).admitted()).isEqualTo(2);
    AdmissionRound last = Await.result(room.admit(ev, q));
    assertThat(last.admitted()).isEqualTo(1);
    assertThat(last.waiting()).isZero();
    assertThat(Await.result(room.admit(ev, q)).admitted()).as("an empty line").isZero();
  }

  @Test
  void anIdleAdmissionFreesItsSlotAndCannotBeRenewed() {
    long ev = freshEvent();
    // Idle after 1 s (wide enough that a stalled box does not lapse the slot before the first check).
    WaitingRoom room = room(1_000, 100);
    QueueSettings q = queue(1000, 1);
    users("u", 3).forEach(u -> Await.result(room.join(ev, q, u)));
    Await.result(room.admit(ev, q));
    Await.pause(Duration.ofMillis(20));
    assertThat(Await.result(room.admit(ev, q)).admitted()).isEqualTo(1);
    Await.result(room.stillAdmitted(ev, "u0"));

    Await.pause(Duration.ofMillis(1_300));
    assertThat(Await.failure(room.stillAdmitted(ev, "u0"))).as("lapsed, even before a round prunes it")
        .isInstanceOfSatisfying(Rejection.class, p -> assertThat(p.outcome()).isEqualTo(Outcome.ADMISSION_REQUIRED));
    assertThat(Await.result(room.position(ev, "u0"))).isInstanceOf(QueueStatus.Lapsed.class);
    AdmissionRound next = Await.result(room.admit(ev, q));
    assertThat(next.admitted()).isEqualTo(1);
    assertThat(next.active()).isEqualTo(1);
    assertThat(Await.result(room.position(ev, "u1"))).isInstanceOf(QueueStatus.Admitted.class);

    QueueStatus.Waiting rejoined = waiting(Await.result(room.join(ev, q, "u0")));
    assertThat(rejoined.ahead()).as("a new turn at the end, behind u2").isEqualTo(1);
    assertThat(Await.failure(room.stillAdmitted(ev, "u0"))).isInstanceOf(Rejection.class);
  }

  @Test
  void beingSeenKeepsTheSlot() {
    long ev = freshEvent();
    // Idle after 1 s; seen every 250 ms for 2 s in all, so only the renewals can keep the slot.
    WaitingRoom room = room(1_000, 100);
    QueueSettings q = queue(1000, 1);
    users("u", 2).forEach(u -> Await.result(room.join(ev, q, u)));
    Await.result(room.admit(ev, q));
    Await.pause(Duration.ofMillis(20));
    assertThat(Await.result(room.admit(ev, q)).admitted()).isEqualTo(1);
    QueueStatus.Admitted first = (QueueStatus.Admitted) Await.result(room.join(ev, q, "u0"));
    for (int i = 0; i < 8; i++) {
      Await.pause(Duration.ofMillis(250));
      if (i % 2 == 0) {
        assertThat(Await.result(room.position(ev, "u0"))).isEqualTo(first);
      } else {
        Await.result(room.stillAdmitted(ev, "u0"));
      }
      assertThat(Await.result(room.admit(ev, q)).admitted()).isZero();
    }
    assertThat(Await.result(room.join(ev, q, "u0"))).as("joining again answers the same admission").isEqualTo(first);
    assertThat(waiting(Await.result(room.position(ev, "u1"))).ahead()).isZero();
  }

  @Test
  void anExpiredEntryEndsTheSlotWhateverTheActivity() {
    long ev = freshEvent();
    WaitingRoom room = room(60_000, 100);
    QueueSettings q = new QueueSettings(true, 1000, 1, null, 1);
    users("u", 2).forEach(u -> Await.result(room.join(ev, q, u)));
    Await.result(room.admit(ev, q));
    Await.pause(Duration.ofMillis(20));
    Await.result(room.admit(ev, q));
    QueueStatus.Admitted a = (QueueStatus.Admitted) Await.result(room.position(ev, "u0"));
    assertThat(a.expiresAtMs()).isBetween(System.currentTimeMillis() + 500, System.currentTimeMillis() + 1_100);
    Await.pause(Duration.ofMillis(1_200));
    assertThat(Await.result(room.position(ev, "u0"))).isInstanceOf(QueueStatus.Lapsed.class);
    assertThat(Await.result(room.admit(ev, q)).admitted()).isEqualTo(1);
    assertThat(Await.result(room.position(ev, "u1"))).isInstanceOf(QueueStatus.Admitted.class);
  }

  @Test
  void thePreQueueIsShuffledOnceAndLaterArrivalsQueueBehindIt() {
    long ev = freshEvent();
    WaitingRoom room = room(20_000, 1);
    Instant sale = Instant.ofEpochMilli(System.currentTimeMillis() + 1_500);
    QueueSettings q = new QueueSettings(true, 1000, 1000, sale, 600);
    List<String> early = users("early", 30);
    for (String u : early) {
      QueueStatus.Waiting w = waiting(Await.result(room.join(ev, q, u)));
      assertThat(w.provisional()).isTrue();
    }
    AdmissionRound closed = Await.result(room.admit(ev, q));
    assertThat(closed.open()).isFalse();
    assertThat(closed.admitted()).isZero();
    assertThat(closed.waiting()).isEqualTo(30);

    List<String> byPlace = new ArrayList<>(early);
    byPlace.sort(Comparator.comparingLong(u -> waiting(Await.result(room.position(ev, u))).ahead()));
    Set<Long> places = new HashSet<>();
    early.forEach(u -> places.add(waiting(Await.result(room.position(ev, u))).ahead()));
    assertThat(places).hasSize(30).allMatch(p -> p >= 0 && p < 30);
    assertThat(byPlace).as("shuffled (fails by chance once in 30!)").isNotEqualTo(early);

    Await.pause(Duration.ofMillis(Math.max(0, sale.toEpochMilli() - System.currentTimeMillis()) + 50));
    assertThat(Await.result(room.admit(ev, q)).open()).isTrue();
    QueueStatus.Waiting late = waiting(Await.result(room.join(ev, q, "late")));
    assertThat(late.provisional()).isFalse();
    assertThat(late.ahead()).isEqualTo(30);
    assertThat(waiting(Await.result(room.position(ev, byPlace.get(0)))).provisional()).as("fixed once open").isFalse();

    byPlace.add("late");
    for (int i = 0; i < byPlace.size(); i++) {
      Await.pause(Duration.ofMillis(3));
      assertThat(Await.result(room.admit(ev, q)).admitted()).isEqualTo(1);
      assertThat(Await.result(room.position(ev, byPlace.get(i)))).as("admission " + i).isInstanceOf(QueueStatus.Admitted.class);
      if (i + 1 < byPlace.size()) {
        assertThat(waiting(Await.result(room.position(ev, byPlace.get(i + 1)))).ahead()).isZero();
      }
    }
  }

  @Test
  void theMeasuredRateFollowsAdmissions() {
    long ev = freshEvent();
    WaitingRoom room = room(20_000, 100);
    QueueSettings q = queue(10, 1000);
    users("u", 100).forEach(u -> Await.result(room.join(ev, q, u)));
    long end = System.currentTimeMillis() + 3_100;
    AdmissionRound last = null;
    while (System.currentTimeMillis() < end) {
      last = Await.result(room.admit(ev, q));
      Await.pause(Duration.ofMillis(100));
    }
    assertThat(last.served()).isBetween(20L, 32L);
    assertThat(last.measuredRate()).isBetween(5.0, 15.0);
    QueueStatus.Waiting w = waiting(Await.result(room.position(ev, "u99")));
    assertThat(w.measuredRate()).isEqualTo(last.measuredRate());
    assertThat(w.served() + w.ahead() + 1).as("the user's number never changes").isEqualTo(100);
  }

  @Test
  void etaUsesTheMeasuredRateElseTheConfiguredOneAndWaitsForTheSale() {
    QueueSettings q = queue(5, 100);
    assertThat(QueueRoutes.etaSeconds(new QueueStatus.Waiting(9, 0, 0, false, 0), q)).isEqualTo(2);
    assertThat(QueueRoutes.etaSeconds(new QueueStatus.Waiting(9, 0, 2.5, false, 0), q)).isEqualTo(4);
    assertThat(QueueRoutes.etaSeconds(new QueueStatus.Waiting(0, 0, 0, false, 0), q)).isEqualTo(1);
    QueueSettings pre = new QueueSettings(true, 5, 100, Instant.ofEpochMilli(20_000), 600);
    assertThat(QueueRoutes.etaSeconds(new QueueStatus.Waiting(4, 0, 0, true, 10_000), pre)).isEqualTo(11);
  }
}
