package dev.ticketrush.seat;

import dev.ticketrush.event.QueueSettings;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LiveEvents;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.queue.WaitingRoom;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-run measurement, not a test: the Redis side of one reconcile pass and one admission tick with 10,000
 * events (queue enabled) of which 3 are on sale (live), the old way (every known event) against the index of
 * live events (live-events.lua). Reports the median wall time, Redis calls and Redis CPU per pass (method and
 * helpers as {@link SweepCostBenchmark}). Run from a built tree:
 * {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}, then
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.ticketrush.seat.LiveWorkBenchmark [events] [passes]}.
 */
public final class LiveWorkBenchmark {
  private LiveWorkBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Vertx vertx = Vertx.vertx();
    RedisLink redis = new RedisLink(vertx, TestServices.redisUrl());
    SeatScripts store = TestSeatScripts.on(redis, List::of);
    WaitingRoom room = new WaitingRoom(redis, WaitingRoom.Tuning.DEFAULT);
    QueueSettings queue = new QueueSettings(true, 100, 2000, null, 600);
    LiveEvents live = new LiveEvents(redis, 3_600_000);
    SweepCostBenchmark.await(redis.send(Request.cmd(Command.DEL).arg(Keyspace.liveEvents().get(0))));
    long base = System.currentTimeMillis() % 1_000_000 * 100_000 + 30_000_000_000L;
    List<Future<?>> inits = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      inits.add(store.init(base + i));
    }
    SweepCostBenchmark.await(Future.all(inits));
    for (int i = 0; i < 3; i++) {
      live.touch(base + i);
      SweepCostBenchmark.await(room.join(base + i, queue, "fan-" + i));
    }
    System.out.printf("%d events, 3 live, %d passes each%n", events, passes);
    SweepCostBenchmark.measure("reconcile: every known event (before)", passes, redis,
        () -> checks(redis, allIds(base, events)).map(events));
    SweepCostBenchmark.measure("reconcile: live events (after)", passes, redis, () -> live.live()
        .compose(ids -> checks(redis, ids).map(ids.size()))
        .compose(n -> live.ended(100).map(n)));
    SweepCostBenchmark.measure("admission: every queued event (before)", passes, redis, () -> {
      List<Future<?>> rounds = new ArrayList<>();
      for (long id : allIds(base, events)) {
        rounds.add(room.admit(id, queue));
      }
      return Future.join(rounds).map(events);
    });
    SweepCostBenchmark.measure("admission: live events (after)", passes, redis, () -> live.live().compose(ids -> {
      List<Future<?>> rounds = new ArrayList<>();
      ids.forEach(id -> rounds.add(room.admit(id, queue)));
      return Future.join(rounds).map(ids.size());
    }));
    redis.close();
    vertx.close();
  }

  static List<Long> allIds(long base, int events) {
    List<Long> ids = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      ids.add(base + i);
    }
    return ids;
  }

  /** What the reconciler asks Redis about each event it checks (as Reconciler does, in one batch). */
  static Future<Void> checks(RedisLink redis, List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> checks = new ArrayList<>();
    for (long id : ids) {
      checks.add(Request.cmd(Command.SCARD).arg(Keyspace.sold(id)));
      checks.add(Request.cmd(Command.EXISTS).arg(Keyspace.version(id)));
      checks.add(Request.cmd(Command.HGET).arg(Keyspace.saleRules(id)).arg("rev"));
    }
    return redis.batch(checks).mapEmpty();
  }
}
