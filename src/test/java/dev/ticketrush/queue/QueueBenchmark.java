package dev.ticketrush.queue;

import dev.ticketrush.event.Event;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.web.Authn;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Hand-run measurement, not a test: join and position-query throughput of ONE event's waiting room with
 * 100,000 users in line, on this machine (client, node and Redis share its cores).
 * <ol>
 *   <li>script level: {@link WaitingRoom} calls over one pipelined Redis connection (the bound for one event,
 *       which lives in one Redis shard);</li>
 *   <li>HTTP level: the full path (JWT, OpenAPI validation, script, JSON) against a running node.</li>
 * </ol>
 * Run from a built tree: {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}, then
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.ticketrush.queue.QueueBenchmark [queued] [httpOps]}.
 */
public final class QueueBenchmark {
  private QueueBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int queued = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int httpOps = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
    Vertx client = Vertx.vertx();
    try (TestNode node = TestNode.start()) {
      Api api = new Api(node);
      // Admission at 1/s barely moves the line, so the measurements see a full queue.
      long id = api.createEvent(1, 100, new JsonObject().put("queue", new JsonObject()
          .put("enabled", true).put("admitPerSecond", 1).put("maxActive", 1))).getLong("id");
      Event event = Await.result(node.app().events().get(id));
      RedisLink redis = new RedisLink(client, node.app().config().redis().url());
      WaitingRoom room = new WaitingRoom(redis, WaitingRoom.Tuning.DEFAULT);
      System.out.printf("event %d, %d users to queue; %d cores%n", id, queued, Runtime.getRuntime().availableProcessors());

      Phase phase = new Phase(client, redis);
      phase.report("script join (new users)", queued, 256, i -> room.join(id, event.queue(), "bench-" + i));
      phase.report("script position (random queued user)", queued, 256,
          i -> room.position(id, "bench-" + ThreadLocalRandom.current().nextInt(queued)));
      phase.report("script join again (already queued)", queued, 256,
          i -> room.join(id, event.queue(), "bench-" + ThreadLocalRandom.current().nextInt(queued)));
      long quiet = id + 1_000_000_000L;
      phase.report("script admit round (quiet event)", 20_000, 1, i -> room.admit(quiet, event.queue()));
      phase.report("script admit round (100k waiting, room full)", 20_000, 1, i -> room.admit(id, event.queue()));

      Authn authn = new Authn(client, node.app().config().security().jwtSecret());
      List<String> newcomers = new ArrayList<>(httpOps);
      List<String> queuedTokens = new ArrayList<>(httpOps);
      for (int i = 0; i < httpOps; i++) {
        newcomers.add("Bearer " + authn.mint("http-" + i, new JsonArray(), 3_600));
        queuedTokens.add("Bearer " + authn.mint("bench-" + ThreadLocalRandom.current().nextInt(queued), new JsonArray(), 3_600));
      }
      HttpClientAgent http = client.createHttpClient(
          new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.port()).setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(64));
      String join = "/api/events/" + id + "/queue";
      String me = join + "/me";
      run(client, Math.min(5_000, httpOps), 128, i -> call(http, HttpMethod.GET, me, queuedTokens.get(i)));
      phase.report("HTTP GET event (baseline: no auth, no Redis)", httpOps, 128,
          i -> call(http, HttpMethod.GET, "/api/events/" + id, null));
      phase.report("HTTP POST queue (new users)", httpOps, 128, i -> call(http, HttpMethod.POST, join, newcomers.get(i)));
      phase.report("HTTP GET queue/me (random queued user)", httpOps, 128, i -> call(http, HttpMethod.GET, me, queuedTokens.get(i)));
      JsonObject last = Await.result(room.position(id, "http-" + (httpOps - 1)).map(s -> new JsonObject().put("status", s.toString())));
      System.out.println("last newcomer: " + last.getString("status"));
      http.close();
      redis.close();
    } finally {
      Await.result(client.close());
    }
  }

  private static Future<?> call(HttpClientAgent http, HttpMethod method, String path, String bearer) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    if (bearer != null) {
      options.putHeader("Authorization", bearer);
    }
    return http.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().compose(body -> resp.statusCode() == 200
            ? Future.succeededFuture(body)
            : Future.failedFuture(resp.statusCode() + " " + body)));
  }

  record Result(int ops, int failures, long nanos, Histogram latencyMicros, String firstFailure) {
  }

  /** n operations with at most {@code window} in flight, started on the client's event loop. */
  private static Result run(Vertx client, int n, int window, IntFunction<Future<?>> op) throws InterruptedException {
    Histogram hist = new Histogram(60_000_000L, 3);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    String[] firstFailure = new String[1];
    CountDownLatch done = new CountDownLatch(window);
    long start = System.nanoTime();
    client.runOnContext(v -> {
      for (int w = 0; w < window; w++) {
        new Object() {
          void fire() {
            int i = next.getAndIncrement();
            if (i >= n) {
              done.countDown();
              return;
            }
            long t0 = System.nanoTime();
            Future<?> f;
            try {
              f = op.apply(i);
            } catch (RuntimeException e) {
              f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
              synchronized (hist) {
                hist.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
                if (ar.failed() && failures.getAndIncrement() == 0) {
                  firstFailure[0] = String.valueOf(ar.cause());
                }
              }
              fire();
            });
          }
        }.fire();
      }
    });
    done.await();
    return new Result(n, failures.get(), System.nanoTime() - start, hist, firstFailure[0]);
  }

  /** Runs and prints one phase, with Redis' own time per script call (INFO commandstats) over the phase. */
  private record Phase(Vertx client, RedisLink redis) {
    void report(String what, int n, int window, IntFunction<Future<?>> op) throws InterruptedException {
      long[] before = evalshaStats();
      Result r = run(client, n, window, op);
      long[] after = evalshaStats();
      double seconds = r.nanos() / 1e9;
      long calls = after[0] - before[0];
      System.out.printf("%-46s %7d ops in %6.2f s = %7.0f ops/s  p50 %6.2f ms  p99 %6.2f ms  Redis %5.1f us/script (%d calls)  failures %d%s%n",
          what, r.ops(), seconds, r.ops() / seconds,
          r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0,
          calls == 0 ? 0.0 : (after[1] - before[1]) / (double) calls, calls,
          r.failures(), r.firstFailure() == null ? "" : " (first: " + r.firstFailure() + ")");
    }

    /** {calls, usec} of EVALSHA since Redis started. */
    long[] evalshaStats() {
      String info = Await.result(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("cmdstat_evalsha:")) {
          long calls = 0;
          long usec = 0;
          for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
            String[] p = kv.split("=");
            if (p[0].equals("calls")) {
              calls = Long.parseLong(p[1]);
            } else if (p[0].equals("usec")) {
              usec = Long.parseLong(p[1]);
            }
          }
          return new long[] {calls, usec};
        }
      }
      return new long[] {0, 0};
    }
  }
}
