package dev.ticketrush.seat;

import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hand-run measurement, not a test: the cost of one sweeper pass with 10,000 events of which 3 are on sale (have
 * holds), the old way (one sweep script per known event) against the index of due work (sweep-due.lua: only the
 * due events). Reports the median wall time of a pass, script calls per pass and Redis CPU per pass.
 * Run from a built tree: {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}, then
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.ticketrush.seat.SweepCostBenchmark [events] [passes]}.
 */
public final class SweepCostBenchmark {
  private SweepCostBenchmark() {
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Vertx vertx = Vertx.vertx();
    RedisLink redis = new RedisLink(vertx, TestServices.redisUrl());
    SeatScripts store = TestSeatScripts.on(redis, List::of);
    long base = System.currentTimeMillis() % 1_000_000 * 100_000 + 20_000_000_000L;
    List<Future<Void>> inits = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      inits.add(store.init(base + i));
    }
    await(Future.all(inits));
    // Three events on sale: 50 live holds each, and a few short ones that expire during the passes.
    for (int i = 0; i < 3; i++) {
      for (int s = 1; s <= 50; s++) {
        await(store.hold(base + i, "fan-" + s, List.of(s), 600_000, 4, 1000));
        await(store.hold(base + i, "quick-" + s, List.of(500 + s), 1_000 + 20L * s, 4, 1000));
      }
    }
    System.out.printf("%d events, 3 with holds, %d passes each%n", events, passes);
    measure("per known event (before)", passes, redis, () -> {
      List<Future<Integer>> sweeps = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        sweeps.add(store.sweep(base + i, 1000));
      }
      return Future.join(sweeps).map(events);
    });
    measure("index of due work (after)", passes, redis, () -> store.sweepDue(1000, 1000));
    redis.close();
    vertx.close();
  }

  interface Pass {
    Future<Integer> run();
  }

  static void measure(String name, int passes, RedisLink redis, Pass pass) throws Exception {
    double[] ms = new double[passes];
    long calls = 0;
    double cpu0 = redisCpu(redis);
    for (int p = 0; p < passes; p++) {
      long t0 = System.nanoTime();
      calls += await(pass.run());
      ms[p] = (System.nanoTime() - t0) / 1e6;
      Thread.sleep(50); // a pass every 50 ms: some short holds expire in between
    }
    double cpu = redisCpu(redis) - cpu0;
    Arrays.sort(ms);
    System.out.printf("%-28s median %8.2f ms/pass  p90 %8.2f ms  %7.1f events swept/pass  Redis CPU %6.2f ms/pass%n",
        name, ms[passes / 2], ms[(int) (passes * 0.9)], (double) calls / passes, cpu * 1000 / passes);
  }

  static double redisCpu(RedisLink redis) throws Exception {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("cpu"))).toString();
    double total = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return total;
  }
}
