package dev.ticketrush.infra;

import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Hand-run measurement, not a test: one event loop keeps 256 script calls outstanding on a Redis connection,
 * each next call sent from a task of its own (as holds arrive from the event bus), on a plain connection and on
 * one with {@link RedisConnections#coalesceWrites}, in alternating phases (so a busy machine's drift hits
 * both). Reports per phase the calls/s and the CPU time per call of Redis (INFO cpu) and of this JVM, and the
 * medians. Run from a built tree ({@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}):
 * {@code TICKETRUSH_REDIS_URL=redis://127.0.0.1:PORT java -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.ticketrush.infra.RedisWriteCoalescingBenchmark [pairs] [phaseMs]}.
 */
public final class RedisWriteCoalescingBenchmark {
  private static final int OUTSTANDING = 256;
  /** About a hold's EVALSHA: 23 arguments, ~400 bytes. */
  private static final String SCRIPT = "local n = redis.call('INCR', KEYS[1]) return {ARGV[1], n}";

  private RedisWriteCoalescingBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    long phaseMs = args.length > 1 ? Long.parseLong(args[1]) : 3_000;
    Vertx vertx = Vertx.vertx();
    Redis client = Redis.createClient(vertx, RedisEndpoint.standalone(TestServices.redisUrl()).options()
        .setMaxWaitingHandlers(65_536));
    Context loop = vertx.getOrCreateContext();
    RedisConnection plain = on(loop, client::connect);
    RedisConnection coalesced = on(loop, client::connect);
    RedisConnections.coalesceWrites(coalesced);
    RedisConnection info = on(loop, client::connect);
    String sha = on(loop, () -> info.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT))).toString();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<double[]> before = new ArrayList<>();
    List<double[]> after = new ArrayList<>();
    System.out.println("phase\tcalls/s\tredis-us/call\tjvm-us/call");
    for (int p = -6; p < 2 * pairs; p++) { // six unmeasured phases: the JIT warms up
      boolean coalescing = (p & 1) != 0;
      Driver d = new Driver(loop, coalescing ? coalesced : plain, sha);
      double redis0 = redisCpu(loop, info);
      long jvm0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      on(loop, () -> {
        d.start();
        return Future.succeededFuture();
      });
      Thread.sleep(phaseMs);
      long calls = on(loop, () -> Future.succeededFuture(d.stop()));
      double secs = (System.nanoTime() - t0) / 1e9;
      double redis = (redisCpu(loop, info) - redis0) * 1e6 / calls;
      double jvm = (os.getProcessCpuTime() - jvm0) / 1e3 / calls;
      Await.result(d.drained.future());
      String name = coalescing ? "coalesced" : "plain";
      System.out.printf("%s\t%.0f\t%.2f\t%.2f%n", p < 0 ? "warm-" + name : name, calls / secs, redis, jvm);
      if (p >= 0) {
        (coalescing ? after : before).add(new double[] {calls / secs, redis, jvm});
      }
    }
    System.out.printf("median plain:     %.0f calls/s, Redis %.2f us/call, JVM %.2f us/call%n",
        median(before, 0), median(before, 1), median(before, 2));
    System.out.printf("median coalesced: %.0f calls/s, Redis %.2f us/call, JVM %.2f us/call%n",
        median(after, 0), median(after, 1), median(after, 2));
    vertx.close();
  }

  /** Keeps {@link #OUTSTANDING} calls in flight; each answer sends the next call from a new task. */
  private static final class Driver {
    final Context loop;
    final RedisConnection c;
    final String sha;
    final Promise<Void> drained = Promise.promise();
    boolean running = true;
    long calls;
    int inFlight;

    Driver(Context loop, RedisConnection c, String sha) {
      this.loop = loop;
      this.c = c;
      this.sha = sha;
    }

    void start() {
      for (int i = 0; i < OUTSTANDING; i++) {
        loop.runOnContext(v -> next());
      }
    }

    long stop() {
      running = false;
      return calls;
    }

    void next() {
      if (!running) {
        if (inFlight == 0) {
          drained.tryComplete();
        }
        return;
      }
      Request r = Request.cmd(Command.EVALSHA).arg(sha).arg(1).arg("bench:coalesce:" + (calls & 1023));
      for (int i = 0; i < 21; i++) {
        r.arg("argument-" + i + "-" + calls);
      }
      inFlight++;
      c.send(r).onComplete(ar -> {
        inFlight--;
        calls++;
        loop.runOnContext(v -> next());
      });
    }
  }

  private static double redisCpu(Context loop, RedisConnection info) {
    String text = on(loop, () -> info.send(Request.cmd(Command.INFO).arg("cpu"))).toString();
    double s = 0;
    for (String line : text.split("\r?\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        s += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return s;
  }

  private static double median(List<double[]> rows, int col) {
    double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static <T> T on(Context loop, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    loop.runOnContext(v -> work.get().onComplete(done));
    return Await.result(done.future());
  }
}
