package dev.ticketrush.order;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two order transactions over the same seats, listed in opposite order, racing in PostgreSQL (as after a
 * Redis failover lost a pin): tickets are inserted in seat order, so one waits for the other and then fails on
 * the UNIQUE constraint (23505, refunded by the purchase), and neither dies of a deadlock (40P01). A trigger
 * slows each ticket row of the test's event down (20 ms) so that the two inserts really interleave; without
 * the seat order this test ends in 40P01.
 */
@TicketRushNode("reconcileIntervalMs=600000")
class ConfirmDeadlockTest {
  TestNode node;
  Api api;

  @Test
  void oppositeSeatOrdersNeverDeadlock() throws Exception {
    long ev = api.createEvent(1, 200, new JsonObject()).getLong("id");
    PurchaseRepository repo = new PurchaseRepository(node.app().pool(), 10_000);
    String trigger = "slow_tickets_" + ev;
    PurchaseInvariant.rows(node.app().pool(), "CREATE FUNCTION " + trigger + "() RETURNS trigger AS $$ BEGIN "
        + "IF NEW.event_id = " + ev + " THEN PERFORM pg_sleep(0.02); END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
    PurchaseInvariant.rows(node.app().pool(), "CREATE TRIGGER " + trigger + " BEFORE INSERT ON tickets FOR EACH ROW "
        + "EXECUTE FUNCTION " + trigger + "()");
    try {
      race(repo, ev);
    } finally {
      PurchaseInvariant.rows(node.app().pool(), "DROP TRIGGER " + trigger + " ON tickets");
      PurchaseInvariant.rows(node.app().pool(), "DROP FUNCTION " + trigger + "()");
    }
  }

  private static void race(PurchaseRepository repo, long ev) throws Exception {
    for (int round = 0; round < 10; round++) {
      int a = 1 + round * 5;
      List<Integer> up = List.of(a, a + 1, a + 2, a + 3);
      List<Integer> down = List.of(a + 3, a + 2, a + 1, a);
      Purchase first = claimed(repo, ev, up);
      Purchase second = claimed(repo, ev, down);
      Future<Boolean> one = repo.confirm(first, order(first), "{}");
      Future<Boolean> two = repo.confirm(second, order(second), "{}");
      Await.result(Future.join(one, two).otherwiseEmpty()); // both settled, either way
      int won = 0;
      for (Future<Boolean> f : List.of(one, two)) {
        if (f.succeeded()) {
          assertThat(f.result()).isTrue();
          won++;
        } else {
          assertThat(f.cause()).as("round %d: %s", round, f.cause()).isInstanceOf(PgException.class);
          assertThat(((PgException) f.cause()).getSqlState()).as("round %d", round).isEqualTo("23505");
        }
      }
      assertThat(won).as("round %d: exactly one order", round).isEqualTo(1);
    }
  }

  private static Purchase claimed(PurchaseRepository repo, long ev, List<Integer> seats) throws Exception {
    String user = "u-" + UUID.randomUUID();
    Purchase p = new Purchase(user, "k", "h", PurchasePhase.CHARGING, UUID.randomUUID(), ev, seats, "tok_ok", 100, "USD",
        PurchaseService.chargeKey(user, "k"), "pi_" + UUID.randomUUID(), null, null, 0, Instant.now());
    assertThat(Await.result(repo.claim(p, 60))).isTrue();
    return p;
  }

  private static Order order(Purchase p) {
    return new Order(UUID.randomUUID(), p.eventId(), p.user(), p.seats(), "CONFIRMED",
        Instant.now(), p.currency(), p.amountCents());
  }
}
