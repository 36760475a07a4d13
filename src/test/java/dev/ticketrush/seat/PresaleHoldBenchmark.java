package dev.ticketrush.seat;

import dev.ticketrush.event.Allocation;
import dev.ticketrush.event.SeatArea;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Hand-run measurement, not a test: what the presale check costs a hold and a best-available call in Redis.
 * Redis' own CPU per operation ({@code INFO commandstats}: evalsha usec, the script and its sweep-index mark) for holds without
 * reservations, holds of public seats on an event with two reserved sections, holds of reserved seats with a
 * bound code, and the same three for best available (count 2). CPU per call, not wall time: on a shared, loaded
 * machine the server's accounting moves far less than a clock.
 * Run from a built tree: {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}, then
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.ticketrush.seat.PresaleHoldBenchmark [calls]} (at most
 * 5,000: best available fills one 10,000-seat section two at a time).
 */
public final class PresaleHoldBenchmark {
  private static final int ROWS = 100;
  private static final int PER_ROW = 100;

  private PresaleHoldBenchmark() {
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    Vertx vertx = Vertx.vertx();
    RedisLink redis = new RedisLink(vertx, TestServices.redisUrl());
    TestSeatScripts.CodesInMemory codes = new TestSeatScripts.CodesInMemory();
    SeatScripts store = TestSeatScripts.withCodes(redis, List::of, () -> SaleRules.OPEN, codes);
    long base = System.currentTimeMillis() % 1_000_000 * 100 + 30_000_000_000L;
    int sectionSeats = ROWS * PER_ROW;
    // Three sections of 10,000 seats; the first and the third reserved for an hour.
    long later = System.currentTimeMillis() + 3_600_000;
    String reserved = Access.reservations(List.of(new Allocation.Reserved(1, sectionSeats, "fanclub", later),
        new Allocation.Reserved(2 * sectionSeats + 1, 3 * sectionSeats, "cards", later)));
    List<String> codeHashes = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      codeHashes.add(AccessCodes.hashOf(AccessCodes.newCode()));
    }
    System.out.printf("%d calls per case; Redis CPU per operation (usec; script + sweep-index mark)%n", calls);
    holds(redis, store, base, calls, "hold, no reservations", i -> Access.NONE, i -> sectionSeats + 1 + i);
    holds(redis, store, base + 1, calls, "hold, public seat, 2 reserved sections", i -> new Access("", reserved),
        i -> sectionSeats + 1 + i);
    mintAll(store, base + 2, codes, codeHashes);
    holds(redis, store, base + 2, calls, "hold, reserved seat, code bound now", i -> new Access(codeHashes.get(i), reserved),
        i -> 1 + i);
    best(redis, store, base + 3, calls, "best 2, no reservations", i -> Access.NONE);
    best(redis, store, base + 4, calls, "best 2, 2 reserved sections, no code", i -> new Access("", reserved));
    mintAll(store, base + 5, codes, codeHashes);
    best(redis, store, base + 5, calls, "best 2, 2 reserved sections, a code", i -> new Access(codeHashes.get(i), reserved));
    redis.close();
    vertx.close();
  }

  static void mintAll(SeatScripts store, long ev, TestSeatScripts.CodesInMemory codes, List<String> hashes) throws Exception {
    await(store.init(ev));
    List<AccessCodeStore.Stored> stored = new ArrayList<>();
    hashes.forEach(h -> stored.add(new AccessCodeStore.Stored(h, "fanclub", null)));
    codes.codes.clear();
    codes.codes.addAll(stored);
    await(store.addCodes(ev, stored));
  }

  static void holds(RedisLink redis, SeatScripts store, long ev, int calls, String name, IntFunction<Access> access,
                    IntFunction<Integer> seat) throws Exception {
    await(store.init(ev));
    measure(redis, name, calls, i -> store.hold(ev, "u" + i, List.of(seat.apply(i)), 600_000, 4, 3 * ROWS * PER_ROW,
        access.apply(i)));
  }

  static void best(RedisLink redis, SeatScripts store, long ev, int calls, String name, IntFunction<Access> access)
      throws Exception {
    await(store.init(ev));
    int size = ROWS * PER_ROW;
    List<SeatArea> areas = List.of(new SeatArea(1, ROWS, PER_ROW, false), new SeatArea(size + 1, ROWS, PER_ROW, false),
        new SeatArea(2 * size + 1, ROWS, PER_ROW, false));
    measure(redis, name, calls, i -> store.best(ev, "u" + i, 2, areas, 600_000, 4, access.apply(i)));
  }

  static void measure(RedisLink redis, String name, int calls, IntFunction<Future<SeatResult>> call) throws Exception {
    double[] before = evalsha(redis);
    for (int i = 0; i < calls; i += 100) {
      List<Future<SeatResult>> batch = new ArrayList<>();
      for (int k = i; k < Math.min(calls, i + 100); k++) {
        batch.add(call.apply(k));
      }
      for (Future<SeatResult> f : batch) {
        if (await(f).outcome() != dev.ticketrush.outcome.Outcome.HELD) {
          throw new IllegalStateException(name + ": " + await(f));
        }
      }
    }
    double[] after = evalsha(redis);
    // Per operation: its script plus the sweep-index mark each successful hold sends (the same in every case).
    System.out.printf("  %-45s %6.1f usec%n", name, (after[1] - before[1]) / calls);
  }

  /** {calls, usec} of EVALSHA so far. */
  static double[] evalsha(RedisLink redis) throws Exception {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:")) {
        double c = 0;
        double u = 0;
        for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
          String[] p = kv.split("=");
          if (p[0].equals("calls")) {
            c = Double.parseDouble(p[1]);
          } else if (p[0].equals("usec")) {
            u = Double.parseDouble(p[1]);
          }
        }
        return new double[] {c, u};
      }
    }
    return new double[] {0, 0};
  }
}
