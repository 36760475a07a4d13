package dev.ticketrush.queue;

import dev.ticketrush.event.QueueSettings;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.Integration;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TestServices;
import dev.ticketrush.support.TicketRushNode.Second;
import dev.ticketrush.support.TicketRushNode;
import dev.ticketrush.web.Authn;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** maxActive and order hold with several admitters racing: two nodes over HTTP, and two script callers with turnover. */
@Integration
@ExtendWith(VertxExtension.class)
class TwoAdmittersTest {
  /** Counts slots still live by Redis' clock, in one atomic step. */
  private static final String LIVE_SLOTS = "local t = redis.call('TIME') "
      + "return redis.call('ZCOUNT', KEYS[1], '(' .. (tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)), '+inf')";

  static Vertx vertx;
  static RedisLink probe;

  /** The Vert.x instance comes from VertxExtension, which closes it (and with it this link) after the class. */
  @BeforeAll
  static void connect(Vertx vertx) {
    TwoAdmittersTest.vertx = vertx;
    probe = new RedisLink(vertx, TestServices.redisUrl());
  }

  static long liveSlots(long event) {
    return Await.result(probe.send(Request.cmd(Command.EVAL).arg(LIVE_SLOTS).arg(1).arg(dev.ticketrush.infra.Keyspace.queue(event).get(2)))).toLong();
  }

  @Test
  @TicketRushNode
  void twoNodesNeverAdmitMoreThanMaxActiveAndAdmitTheFirstComers(TestNode one, @Second TestNode two) throws Exception {
    int maxActive = 25;
    Api a = new Api(one);
    Api b = new Api(two);
    long event = a.createEvent(1, 100, new JsonObject().put("queue", new JsonObject()
        .put("enabled", true).put("admitPerSecond", 1000).put("maxActive", maxActive))).getLong("id");
    Authn authn = new Authn(one.app().vertx(), one.app().config().security().jwtSecret());
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tokens.add(authn.mint("two-nodes-" + i, new JsonArray(), 3_600));
    }

    List<CompletableFuture<Api.Reply>> joins = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Api node = i % 2 == 0 ? a : b;
      joins.add(node.postAsync("/api/events/" + event + "/queue", tokens.get(i), "", Map.of()));
    }
    Map<Long, Integer> userByNumber = new TreeMap<>();
    long maxLive = 0;
    for (int i = 0; i < 200; i++) {
      Api.Reply r = joins.get(i).get();
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      JsonObject j = r.json();
      assertThat(j.getBoolean("admitted")).isFalse();
      userByNumber.put(j.getLong("serving") + j.getLong("position") + 1, i);
      maxLive = Math.max(maxLive, liveSlots(event));
    }
    assertThat(userByNumber.keySet()).as("distinct numbers 1..200").containsExactlyElementsOf(
        java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());

    long end = System.currentTimeMillis() + 3_000;
    while (System.currentTimeMillis() < end) {
      maxLive = Math.max(maxLive, liveSlots(event));
      Await.pause(Duration.ofMillis(10));
    }
    assertThat(maxLive).isEqualTo(maxActive);

    List<Integer> admitted = new ArrayList<>();
    for (Map.Entry<Long, Integer> e : userByNumber.entrySet()) {
      Api node = e.getValue() % 2 == 0 ? b : a;
      JsonObject me = node.get("/api/events/" + event + "/queue/me", tokens.get(e.getValue())).json();
      if (me.getBoolean("admitted")) {
        admitted.add(e.getKey().intValue());
      }
    }
    assertThat(admitted).as("exactly the first maxActive numbers")
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, maxActive).boxed().toList());
  }

  @Test
  void twoAdmittersWithTurnoverKeepTheLimitAndTheOrder() {
    long event = WaitingRoomScriptTest.freshEvent();
    int maxActive = 10;
    QueueSettings q = new QueueSettings(true, 2_000, maxActive, null, 600);
    WaitingRoom.Tuning quick = new WaitingRoom.Tuning(150, 200, 2_000);
    Vertx other = Vertx.vertx();
    RedisLink linkA = new RedisLink(vertx, TestServices.redisUrl());
    RedisLink linkB = new RedisLink(other, TestServices.redisUrl());
    try {
      WaitingRoom roomA = new WaitingRoom(linkA, quick);
      WaitingRoom roomB = new WaitingRoom(linkB, quick);
      AtomicLong byA = new AtomicLong();
      AtomicLong byB = new AtomicLong();
      long until = System.currentTimeMillis() + 15_000;
      Future<Void> loopA = admitUntil(vertx, roomA, event, q, until, byA);
      Future<Void> loopB = admitUntil(other, roomB, event, q, until, byB);

      List<Future<QueueStatus>> joins = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        joins.add((i % 2 == 0 ? roomA : roomB).join(event, q, "turnover-" + i));
      }
      Map<Long, String> userByNumber = new TreeMap<>();
      for (int i = 0; i < 200; i++) {
        QueueStatus.Waiting w = (QueueStatus.Waiting) Await.result(joins.get(i));
        userByNumber.put(w.served() + w.ahead() + 1, "turnover-" + i);
      }
      assertThat(userByNumber).hasSize(200);

      long maxLive = 0;
      while (byA.get() + byB.get() < 200 && System.currentTimeMillis() < until) {
        maxLive = Math.max(maxLive, liveSlots(event));
      }
      assertThat(byA.get() + byB.get()).as("everyone got a turn as slots lapsed").isEqualTo(200);
      assertThat(maxLive).isBetween(1L, (long) maxActive);
      assertThat(byA.get()).as("admitter A took part").isPositive();
      assertThat(byB.get()).as("admitter B took part").isPositive();

      Map<String, Long> expiry = new HashMap<>();
      for (String user : userByNumber.values()) {
        expiry.put(user, Await.result(probe.send(Request.cmd(Command.HGET).arg(dev.ticketrush.infra.Keyspace.queue(event).get(1)).arg(user))).toLong());
      }
      long previous = 0;
      for (String user : userByNumber.values()) {
        assertThat(expiry.get(user)).as("admitted in number order: " + user).isGreaterThanOrEqualTo(previous);
        previous = expiry.get(user);
      }
      Await.result(Future.all(loopA, loopB));
    } finally {
      linkA.close();
      linkB.close();
      Await.result(other.close());
    }
  }

  /** Back-to-back admission rounds on the given Vert.x until the deadline or everyone is admitted. */
  static Future<Void> admitUntil(Vertx on, WaitingRoom room, long event, QueueSettings q, long until, AtomicLong count) {
    Promise<Void> done = Promise.promise();
    on.runOnContext(v -> round(room, event, q, until, count, done));
    return done.future();
  }

  private static void round(WaitingRoom room, long event, QueueSettings q, long until, AtomicLong count, Promise<Void> done) {
    room.admit(event, q).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      count.addAndGet(ar.result().admitted());
      if (ar.result().served() >= 200 || System.currentTimeMillis() > until) {
        done.complete();
      } else {
        round(room, event, q, until, count, done);
      }
    });
  }
}
