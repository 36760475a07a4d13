package dev.ticketrush.seat;

import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis loses its data (FLUSHALL) while a crowd reads and holds: the seat feature restores the event once,
 * whoever notices first, and no answer ever shows a sold seat as free.
 */
// No reconciler pass during the test: the only restores are the ones the requests cause.
@TicketRushNode("reconcileIntervalMs=600000")
class RedisDataLossTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  @Test
  void oneRestorePerEventNotOnePerRequest() throws Exception {
    long ev = api.createEvent(4, 25, new JsonObject().put("maxSeatsPerUser", 4)).getLong("id");
    String alice = api.token("alice");
    api.hold(ev, alice, 1, 2);
    Api.Reply bought = api.post("/api/events/" + ev + "/orders", alice,
        new JsonObject().put("seats", List.of(1, 2)).put("paymentToken", "tok_ok").encode(),
        java.util.Map.of("Idempotency-Key", "loss-1"));
    assertThat(bought.status()).isEqualTo(201);
    assertThat(restores(ev)).isZero();

    flushRedis();

    ExecutorService crowd = Executors.newFixedThreadPool(32);
    try {
      List<Future<Api.Reply>> reads = new ArrayList<>();
      List<Future<Api.Reply>> holds = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        int seat = 10 + i;
        String token = api.token("crowd-" + i);
        reads.add(crowd.submit(() -> api.get("/api/events/" + ev + "/seats", null)));
        holds.add(crowd.submit(() -> api.hold(ev, token, seat)));
      }
      for (Future<Api.Reply> r : reads) {
        Api.Reply reply = r.get(30, TimeUnit.SECONDS);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getJsonArray("sold").getList()).as("sold seats survive the data loss").containsExactly(1, 2);
      }
      for (Future<Api.Reply> h : holds) {
        assertThat(h.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
      }
    } finally {
      crowd.shutdownNow();
    }
    assertThat(api.hold(ev, api.token("bob"), 1).code()).isEqualTo("seat_unavailable");
    assertThat(restores(ev)).as("restores of event " + ev).isEqualTo(1.0);
  }

  double restores(long ev) {
    Counter c = node.app().registry().find("ticketrush.seat.restores").tag("event", Long.toString(ev)).counter();
    return c == null ? 0 : c.count();
  }

  void flushRedis() throws Exception {
    RedisLink redis = new RedisLink(node.app().vertx(), node.app().config().redis().url());
    try {
      Await.result(redis.send(Request.cmd(Command.FLUSHALL)), Duration.ofSeconds(5));
    } finally {
      redis.close();
    }
  }
}
