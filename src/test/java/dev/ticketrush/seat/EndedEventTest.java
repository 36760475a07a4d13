package dev.ticketrush.seat;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events that end: an event with no activity for the grace period leaves the index of live events and gives its
 * hot Redis keys back; the next request rebuilds them from PostgreSQL. An event with a live hold keeps them.
 */
@TicketRushNode({"liveGraceMs=1500", "reconcileIntervalMs=300"})
class EndedEventTest {
  TestNode node; // set by @TicketRushNode
  Api api;

  Response redis(Request r) {
    RedisLink link = new RedisLink(node.app().vertx(), node.app().config().redis().url());
    try {
      return Await.result(link.send(r), Duration.ofSeconds(5));
    } finally {
      link.close();
    }
  }

  boolean hasKeys(long ev) {
    return redis(Request.cmd(Command.EXISTS).arg(Keyspace.version(ev))).toInteger() == 1;
  }

  boolean live(long ev) {
    return redis(Request.cmd(Command.ZSCORE).arg(Keyspace.liveEvents().get(0)).arg(ev)) != null;
  }

  @Test
  @DisplayName("an ended event's hot keys are dropped after the grace and rebuilt from PostgreSQL on demand; one with a live hold keeps them")
  void endedEventsGiveTheirKeysBackAndComeBackOnDemand() {
    long ended = api.createEvent(1, 10, new JsonObject().put("holdTtlMs", 600_000)).getLong("id");
    long holding = api.createEvent(1, 10, new JsonObject().put("holdTtlMs", 600_000)).getLong("id");
    String fan = api.token("ended-fan");
    assertThat(api.hold(ended, fan, 1, 2).status()).isEqualTo(201);
    Api.Reply bought = api.post("/api/events/" + ended + "/orders", fan,
        new JsonObject().put("seats", List.of(1, 2)).put("paymentToken", "tok_ok").encode(),
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertThat(bought.status()).as(bought.toString()).isEqualTo(201);
    assertThat(api.hold(holding, fan, 5).status()).isEqualTo(201);
    assertThat(live(ended)).isTrue();

    Await.until("the ended event's keys are dropped", () -> !hasKeys(ended), Duration.ofSeconds(30));
    assertThat(live(ended)).as("it left the index of live events").isFalse();
    // Both passed the grace at about the same time; the one with a hold is live again and keeps its keys.
    assertThat(hasKeys(holding)).isTrue();
    assertThat(live(holding)).isTrue();

    // On demand: the seats come back from PostgreSQL, the event is live again, holds work.
    assertThat(api.seats(ended).getJsonArray("sold").getList()).containsExactly(1, 2);
    assertThat(hasKeys(ended)).isTrue();
    assertThat(api.hold(ended, api.token("late-fan"), 3).status()).isEqualTo(201);
    Await.until("a request makes the event live again", () -> live(ended), Duration.ofSeconds(10));
  }
}
