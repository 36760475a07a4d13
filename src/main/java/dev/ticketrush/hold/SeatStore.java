package dev.ticketrush.hold;

import dev.ticketrush.infra.LuaScript;
import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Java face of the seat scripts. Every seat status change is one script call that checks state and owner,
 * changes it, bumps the version by one per seat and appends to the change log, atomically in Redis.
 *
 * <p>When a script reports {@code not_ready} (the version counter is gone: Redis restarted empty), the store
 * first restores the sold seats from PostgreSQL and only then retries, so a sold seat never becomes
 * holdable again after a Redis restart.
 */
public final class SeatStore {
  private static final String COMMON = "seat-common";
  private static final LuaScript INIT = LuaScript.load("init", COMMON);
  private static final LuaScript HOLD = LuaScript.load("hold", COMMON);
  private static final LuaScript RELEASE = LuaScript.load("release", COMMON);
  private static final LuaScript SWEEP = LuaScript.load("sweep", COMMON);
  private static final LuaScript PIN = LuaScript.load("pin", COMMON);
  private static final LuaScript UNPIN = LuaScript.load("unpin", COMMON);
  private static final LuaScript SELL = LuaScript.load("sell", COMMON);
  private static final LuaScript RESTORE = LuaScript.load("restore", COMMON);
  private static final LuaScript SNAPSHOT = LuaScript.load("snapshot", COMMON);
  private static final LuaScript MINE = LuaScript.load("mine", COMMON);
  private static final LuaScript SINCE = LuaScript.load("since", COMMON);

  private final RedisLink redis;
  private final int logMaxLen;
  private final LongFunction<Future<List<Integer>>> soldInDatabase;

  /**
   * @param soldInDatabase the seats PostgreSQL says are sold for an event (the truth used to recover Redis)
   */
  public SeatStore(RedisLink redis, int logMaxLen, LongFunction<Future<List<Integer>>> soldInDatabase) {
    this.redis = redis;
    this.logMaxLen = logMaxLen;
    this.soldInDatabase = soldInDatabase;
  }

  public Future<Void> init(long eventId) {
    return INIT.call(redis, SeatKeys.forScript(eventId, null), List.of()).mapEmpty();
  }

  public Future<SeatResult> hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount) {
    List<Object> args = new ArrayList<>(List.of(user, ttlMs, maxPerUser, seatCount, logMaxLen));
    args.addAll(seats);
    return call(eventId, HOLD, SeatKeys.forScript(eventId, user), args).map(r -> switch (r.get(0).toString()) {
      case "ok" -> new SeatResult(SeatOutcome.OK, seats, r.get(1).toLong(), r.get(2).toLong());
      case "unavailable" -> SeatResult.of(SeatOutcome.UNAVAILABLE, ints(r, 1));
      case "limit" -> SeatResult.of(SeatOutcome.LIMIT, ints(r, 1));
      default -> SeatResult.of(SeatOutcome.BAD_ARGS);
    });
  }

  public Future<SeatResult> release(long eventId, String user, int seat) {
    return call(eventId, RELEASE, SeatKeys.forScript(eventId, user), List.of(user, seat, logMaxLen))
        .map(r -> switch (r.get(0).toString()) {
          case "ok" -> new SeatResult(SeatOutcome.OK, List.of(seat), 0, r.get(1).toLong());
          case "paying" -> SeatResult.of(SeatOutcome.PAYING, List.of(seat));
          default -> SeatResult.of(SeatOutcome.NOT_FOUND, List.of(seat));
        });
  }

  /** The caller's live holds as seat → expiry (ms), in seat order. */
  public Future<List<long[]>> mine(long eventId, String user) {
    return call(eventId, MINE, SeatKeys.forScript(eventId, user), List.of(user)).map(r -> {
      List<long[]> out = new ArrayList<>();
      Response pairs = r.get(1);
      for (int i = 0; i + 1 < pairs.size(); i += 2) {
        out.add(new long[] {pairs.get(i).toLong(), pairs.get(i + 1).toLong()});
      }
      out.sort((a, b) -> Long.compare(a[0], b[0]));
      return out;
    });
  }

  public Future<Integer> sweep(long eventId, int maxSeats) {
    return SWEEP.call(redis, SeatKeys.forScript(eventId, null), List.of(logMaxLen, maxSeats))
        .map(r -> "ok".equals(r.get(0).toString()) ? r.get(1).toInteger() : 0);
  }

  public Future<SeatResult> pin(long eventId, String user, List<Integer> seats, long windowMs, int seatCount) {
    List<Object> args = new ArrayList<>(List.of(user, windowMs, seatCount));
    args.addAll(seats);
    return call(eventId, PIN, SeatKeys.forScript(eventId, user), args).map(r -> switch (r.get(0).toString()) {
      case "ok" -> SeatResult.of(SeatOutcome.OK, seats);
      case "sold" -> SeatResult.of(SeatOutcome.SOLD, ints(r, 1));
      case "missing" -> SeatResult.of(SeatOutcome.MISSING, ints(r, 1));
      case "busy" -> SeatResult.of(SeatOutcome.BUSY, ints(r, 1));
      default -> SeatResult.of(SeatOutcome.BAD_ARGS);
    });
  }

  public Future<Void> unpin(long eventId, String user, List<Integer> seats) {
    List<Object> args = new ArrayList<>(List.of(user));
    args.addAll(seats);
    return UNPIN.call(redis, SeatKeys.forScript(eventId, user), args).mapEmpty();
  }

  /** Marks seats sold (idempotent). Returns the event version afterwards. */
  public Future<Long> sell(long eventId, List<Integer> seats) {
    List<Object> args = new ArrayList<>(List.of(logMaxLen));
    args.addAll(seats);
    return call(eventId, SELL, SeatKeys.forScript(eventId, null), args).map(r -> r.get(2).toLong());
  }

  /** Makes Redis agree with the sold seats of PostgreSQL; returns how many seats were newly marked sold. */
  public Future<Integer> restore(long eventId) {
    return soldInDatabase.apply(eventId).compose(sold -> {
      List<Object> args = new ArrayList<>(List.of(logMaxLen));
      args.addAll(sold);
      return RESTORE.call(redis, SeatKeys.forScript(eventId, null), args).map(r -> r.get(1).toInteger());
    });
  }

  public Future<SeatSnapshot> snapshot(long eventId) {
    return call(eventId, SNAPSHOT, SeatKeys.forScript(eventId, null), List.of())
        .map(r -> new SeatSnapshot(r.get(1).toLong(), sortedInts(r.get(2)), sortedInts(r.get(3))));
  }

  /** Changes after {@code since}, or null when the log no longer has them all (the client needs a snapshot). */
  public Future<List<SeatChange>> since(long eventId, long since, int maxChanges) {
    return call(eventId, SINCE, SeatKeys.forScript(eventId, null), List.of(since, maxChanges)).map(r -> {
      if (!"ok".equals(r.get(0).toString())) {
        return null;
      }
      Response flat = r.get(2);
      List<SeatChange> changes = new ArrayList<>(flat.size() / 3);
      for (int i = 0; i + 2 < flat.size(); i += 3) {
        changes.add(new SeatChange(flat.get(i).toInteger(), flat.get(i + 1).toString(), flat.get(i + 2).toLong()));
      }
      return changes;
    });
  }

  private Future<Response> call(long eventId, LuaScript script, List<String> keys, List<?> args) {
    return script.call(redis, keys, args).compose(r -> {
      if (!"not_ready".equals(r.get(0).toString())) {
        return Future.succeededFuture(r);
      }
      return restore(eventId).compose(n -> script.call(redis, keys, args));
    });
  }

  private static List<Integer> ints(Response r, int from) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < r.size(); i++) {
      out.add(r.get(i).toInteger());
    }
    return out;
  }

  private static JsonArray sortedInts(Response r) {
    int[] values = new int[r.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = r.get(i).toInteger();
    }
    java.util.Arrays.sort(values);
    JsonArray out = new JsonArray(new ArrayList<>(values.length));
    for (int v : values) {
      out.add(v);
    }
    return out;
  }

}
