package dev.ticketrush.order;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit keeps every purchase's own outcome: confirms submitted together share transactions, and within
 * one batch a fenced purchase, one over maxTicketsPerUser and one whose seat another purchase took each roll back
 * alone (their savepoint) while the others commit. Whatever the batches, PostgreSQL ends with exactly the orders
 * and tickets of the purchases answered true.
 */
@TicketRushNode("reconcileIntervalMs=600000")
class GroupCommitOutcomesTest {
  TestNode node;
  Api api;

  @Test
  void eachPurchaseInABatchKeepsItsOwnOutcome() throws Exception {
    long ev = api.createEvent(1, 200, new JsonObject().put("maxTicketsPerUser", 2)).getLong("id");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PurchaseRepository repo = new PurchaseRepository(node.app().pool(), 10_000).measuredIn(meters);
    for (int round = 0; round < 5; round++) {
      int base = 1 + round * 40;
      List<Purchase> good = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        good.add(claimed(repo, ev, List.of(base + i)));
      }
      Purchase fencedOut = claimed(repo, ev, List.of(base + 20)).withToken(UUID.randomUUID());
      Purchase overCap = claimed(repo, ev, List.of(base + 21, base + 22, base + 23));
      Purchase contender = claimed(repo, ev, List.of(base + 30));
      Purchase rival = claimed(repo, ev, List.of(base + 30));
      // one buyer, two purchases in flight together, a cap of 2 for 3 seats: whichever counts second is over it
      String twin = "u-" + UUID.randomUUID();
      Purchase pair = claimedBy(repo, ev, twin, "k1", List.of(base + 35, base + 36));
      Purchase single = claimedBy(repo, ev, twin, "k2", List.of(base + 37));

      List<Future<Boolean>> goodAnswers = new ArrayList<>();
      Future<Boolean> fenced = repo.confirm(fencedOut, order(fencedOut), "{}");
      good.subList(0, 6).forEach(p -> goodAnswers.add(repo.confirm(p, order(p), "{}")));
      Future<Boolean> over = repo.confirm(overCap, order(overCap), "{}");
      Future<Boolean> first = repo.confirm(contender, order(contender), "{}");
      Future<Boolean> second = repo.confirm(rival, order(rival), "{}");
      Future<Boolean> twinPair = repo.confirm(pair, order(pair), "{}");
      Future<Boolean> twinSingle = repo.confirm(single, order(single), "{}");
      good.subList(6, 12).forEach(p -> goodAnswers.add(repo.confirm(p, order(p), "{}")));
      List<Future<Boolean>> all = new ArrayList<>(goodAnswers);
      all.addAll(List.of(fenced, over, first, second, twinPair, twinSingle));
      Await.result(Future.join(all).otherwiseEmpty());

      assertThat(goodAnswers).allSatisfy(f -> assertThat(f.result()).isTrue());
      assertThat(fenced.result()).as("fenced out: nothing written").isFalse();
      assertThat(over.cause()).isInstanceOf(PurchaseRepository.OverTicketLimit.class);
      assertThat(((PurchaseRepository.OverTicketLimit) over.cause()).remaining).isEqualTo(2);
      List<Future<Boolean>> seat = List.of(first, second);
      assertThat(seat.stream().filter(f -> f.succeeded() && f.result())).as("one order for the shared seat").hasSize(1);
      assertThat(seat.stream().filter(Future::failed)).allSatisfy(f ->
          assertThat(((PgException) f.cause()).getSqlState()).isEqualTo(PurchaseRepository.UNIQUE_VIOLATION));

      List<Future<Boolean>> twins = List.of(twinPair, twinSingle);
      assertThat(twins.stream().filter(f -> f.succeeded() && f.result())).as("one of the buyer's two purchases").hasSize(1);
      assertThat(twins.stream().filter(Future::failed)).allSatisfy(f ->
          assertThat(f.cause()).isInstanceOf(PurchaseRepository.OverTicketLimit.class));
      int twinSeats = twinPair.succeeded() ? 2 : 1;

      long tickets = PurchaseInvariant.rows(node.app().pool(), "SELECT count(*) FROM tickets WHERE event_id = " + ev
          + " AND seat_id BETWEEN " + base + " AND " + (base + 39)).iterator().next().getLong(0);
      assertThat(tickets).as("round %d: the 12 good seats, the contested one and the twin's", round)
          .isEqualTo(13 + twinSeats);
      long refusedOrders = PurchaseInvariant.rows(node.app().pool(), "SELECT count(*) FROM orders WHERE user_id IN ('"
          + fencedOut.user() + "', '" + overCap.user() + "')").iterator().next().getLong(0);
      assertThat(refusedOrders).isZero();
    }
    assertThat(meters.get("ticketrush.purchase.group.commit.size").tag("write", "confirm").summary().max())
        .as("some commit carried several purchases").isGreaterThan(1);
  }

  @Test
  void claimsTogetherEachLearnWhetherTheirOwnRowWentIn() throws Exception {
    long ev = api.createEvent(1, 100, new JsonObject()).getLong("id");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PurchaseRepository repo = new PurchaseRepository(node.app().pool(), 10_000).measuredIn(meters);
    for (int round = 0; round < 5; round++) {
      List<Purchase> distinct = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        distinct.add(purchase(ev, "u-" + UUID.randomUUID(), List.of(1 + i, 50 + i)));
      }
      String twice = "u-" + UUID.randomUUID();
      Purchase one = purchase(ev, twice, List.of(90));
      Purchase other = purchase(ev, twice, List.of(91)); // the same key from a second request: one row, one winner
      List<Future<Boolean>> answers = new ArrayList<>();
      distinct.forEach(p -> answers.add(repo.claim(p, 60)));
      Future<Boolean> a = repo.claim(one, 60);
      Future<Boolean> b = repo.claim(other, 60);
      Await.result(Future.join(List.of(Future.join(answers), a, b)).otherwiseEmpty());
      assertThat(answers).allSatisfy(f -> assertThat(f.result()).isTrue());
      assertThat(List.of(a.result(), b.result())).containsExactlyInAnyOrder(true, false);
      for (Purchase p : distinct) {
        Purchase stored = Await.result(repo.find(p.user(), p.key()));
        assertThat(stored.claimToken()).isEqualTo(p.claimToken());
        assertThat(stored.seats()).isEqualTo(p.seats());
        assertThat(stored.phase()).isEqualTo(PurchasePhase.CHARGING);
      }
      Purchase kept = Await.result(repo.find(twice, "k"));
      assertThat(kept.claimToken()).isEqualTo(a.result() ? one.claimToken() : other.claimToken());
    }
    assertThat(meters.get("ticketrush.purchase.group.commit.size").tag("write", "claim").summary().max())
        .as("some commit carried several claims").isGreaterThan(1);
  }

  private static Purchase purchase(long ev, String user, List<Integer> seats) {
    return new Purchase(user, "k", "h", PurchasePhase.CHARGING, UUID.randomUUID(), ev, seats, "tok_ok", 100, "USD",
        PurchaseService.chargeKey(user, "k"), null, null, null, 0, Instant.now());
  }

  private static Purchase claimed(PurchaseRepository repo, long ev, List<Integer> seats) throws Exception {
    return claimedBy(repo, ev, "u-" + UUID.randomUUID(), "k", seats);
  }

  private static Purchase claimedBy(PurchaseRepository repo, long ev, String user, String key, List<Integer> seats)
      throws Exception {
    Purchase p = new Purchase(user, key, "h", PurchasePhase.CHARGING, UUID.randomUUID(), ev, seats, "tok_ok", 100, "USD",
        PurchaseService.chargeKey(user, key), "pi_" + UUID.randomUUID(), null, null, 0, Instant.now());
    assertThat(Await.result(repo.claim(p, 60))).isTrue();
    return p;
  }

  private static Order order(Purchase p) {
    return new Order(UUID.randomUUID(), p.eventId(), p.user(), p.seats(), "CONFIRMED", Instant.now(), p.currency(),
        p.amountCents());
  }
}
