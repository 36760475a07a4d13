package dev.ticketrush.seat;

import dev.ticketrush.event.SeatArea;
import dev.ticketrush.event.Section;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LuaScript;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Java face of the seat scripts; constructed only by {@link HoldVerticle}, whose event loop it runs on. Every
 * seat status change is one script call that checks state and owner, changes it, bumps the version by one per
 * seat and appends to the change log, atomically in Redis.
 *
 * <p>When a script reports {@code not_ready} (the version counter is gone: Redis restarted empty), the sold
 * seats are restored from PostgreSQL before the script runs again, so a sold seat never becomes holdable
 * after a Redis restart. The restore is single-flight per event: every call that meets {@code not_ready}
 * while one runs waits for that one. Because all calls share one pipelined connection and Redis answers in
 * order, every {@code not_ready} answer arrives before the restore's own, so one data loss costs one restore.
 */
final class SeatScripts {
  private static final Logger log = LoggerFactory.getLogger(SeatScripts.class);
  private static final LuaScript INIT = LuaScript.load("init");
  private static final LuaScript SALE = LuaScript.load("sale");
  private static final LuaScript HOLD = LuaScript.load("hold");
  private static final LuaScript BEST = LuaScript.load("best");
  private static final LuaScript RELEASE = LuaScript.load("release");
  private static final LuaScript SWEEP = LuaScript.load("sweep");
  private static final LuaScript SWEEP_DUE = LuaScript.load("sweep-due");
  private static final LuaScript PIN = LuaScript.load("pin");
  private static final LuaScript UNPIN = LuaScript.load("unpin");
  private static final LuaScript RENEW_PIN = LuaScript.load("renew-pin");
  private static final LuaScript SELL = LuaScript.load("sell");
  private static final LuaScript RESTORE = LuaScript.load("restore");
  private static final LuaScript CANCEL = LuaScript.load("cancel");
  private static final LuaScript TRANSFER = LuaScript.load("transfer");
  private static final LuaScript SNAPSHOT = LuaScript.load("snapshot");
  private static final LuaScript MINE = LuaScript.load("mine");
  private static final LuaScript SINCE = LuaScript.load("since");
  private static final LuaScript VERSION_FLOOR = LuaScript.load("version-floor");
  private static final LuaScript DROP_ENDED = LuaScript.load("drop-ended");
  /**
   * How far above the floor a raised counter restarts: more than the changes other nodes may have issued on the
   * old master that this node never saw (they stop at the failover; a sale makes far fewer in a failover's time).
   */
  static final long FLOOR_MARGIN = 1_000_000;

  private final RedisLink redis;
  private final int logMaxLen;
  private final SoldSeats soldInDatabase;
  private final Function<Long, Future<SaleRules>> rulesInDatabase;
  private final PresaleCodes codes;
  private final MeterRegistry metrics;
  private final Map<Long, Future<Integer>> restoring = new HashMap<>();
  /** The highest version of each event a script answered on this node (see {@link #observe}). */
  private final Map<Long, Long> highest = new HashMap<>();
  private final Map<Long, Future<Long>> raising = new HashMap<>();

  /**
   * @param rulesInDatabase the sale's rules as PostgreSQL has them now (a restore writes them back to Redis)
   */
  SeatScripts(RedisLink redis, int logMaxLen, SoldSeats soldInDatabase, Function<Long, Future<SaleRules>> rulesInDatabase,
              AccessCodeStore codesInDatabase, MeterRegistry metrics) {
    this.redis = redis;
    this.logMaxLen = logMaxLen;
    this.soldInDatabase = soldInDatabase;
    this.rulesInDatabase = rulesInDatabase;
    this.codes = new PresaleCodes(redis, codesInDatabase);
    this.metrics = metrics;
  }

  Future<Void> init(long eventId, SaleRules rules) {
    return INIT.call(redis, Keyspace.seatScript(eventId, null), rules.args()).mapEmpty();
  }

  /** An open sale without a cap (script tests). */
  Future<Void> init(long eventId) {
    return init(eventId, SaleRules.OPEN);
  }

  Future<Void> applySaleRules(long eventId, SaleRules rules) {
    return SALE.call(redis, Keyspace.seatScript(eventId, null), rules.args()).mapEmpty();
  }

  Future<SeatResult> hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount) {
    return hold(eventId, user, seats, ttlMs, maxPerUser, seatCount, Access.NONE);
  }

  /** A hold; seats reserved for a presale allocation need the caller's code of it (access.lua). */
  Future<SeatResult> hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount,
                          Access access) {
    List<Object> args = new ArrayList<>(List.of(user, ttlMs, maxPerUser, seatCount, logMaxLen, access.codeHash(),
        access.reservations()));
    args.addAll(seats);
    return call(eventId, HOLD, Keyspace.seatScript(eventId, user), args).map(r -> decide(r, seats, done ->
        new SeatResult(done, List.copyOf(seats), markDueIf(r.get(3), eventId, r.get(1).toLong()), observe(eventId, r.get(2).toLong()))))
        .compose(result -> codes.bindingWritten(eventId, user, access, result));
  }

  /**
   * Best available (see best.lua for the order and the no-orphan rule) among the candidate areas. Their
   * geometry goes to the script as ARGV: layouts and prices never change, so Redis needs no copy of them.
   */
  Future<SeatResult> best(long eventId, String user, int count, List<SeatArea> candidates, long ttlMs, int maxPerUser) {
    return best(eventId, user, count, candidates, ttlMs, maxPerUser, Access.NONE);
  }

  /** Best available; areas reserved for an allocation the caller has no code of are skipped (access.lua). */
  Future<SeatResult> best(long eventId, String user, int count, List<SeatArea> candidates, long ttlMs, int maxPerUser,
                          Access access) {
    List<Object> args = List.of(user, ttlMs, maxPerUser, count, logMaxLen, geometry(candidates), access.codeHash(),
        access.reservations());
    return call(eventId, BEST, Keyspace.seatScript(eventId, user), args).map(r -> decide(r, List.of(), done ->
        new SeatResult(done, ints(r, 4), markDueIf(r.get(3), eventId, r.get(1).toLong()), r.get(2).toLong())))
        .compose(result -> codes.bindingWritten(eventId, user, access, result));
  }

  /** Adds newly minted codes to Redis' hot copy. */
  Future<Void> addCodes(long eventId, List<AccessCodeStore.Stored> minted) {
    return codes.add(eventId, minted);
  }

  /** Best available among whole sections, every one or only the named one (script tests). */
  Future<SeatResult> best(long eventId, String user, int count, String section, long ttlMs, int maxPerUser,
                          List<Section> sections) {
    List<SeatArea> areas = new ArrayList<>();
    int first = 1;
    for (Section s : sections) {
      if (section == null || section.equals(s.name())) {
        areas.add(new SeatArea(first, s.standing() ? 0 : s.rows(), s.standing() ? s.capacity() : s.seatsPerRow(), s.standing()));
      }
      first += s.seatCount();
    }
    if (areas.isEmpty()) {
      return Future.succeededFuture(SeatResult.of(Outcome.INVALID_REQUEST, List.of()));
    }
    return best(eventId, user, count, areas, ttlMs, maxPerUser);
  }

  /** "firstSeat rows seatsPerRow" per candidate area, in order; rows 0 for a standing area. */
  static String geometry(List<SeatArea> areas) {
    StringBuilder sb = new StringBuilder();
    for (SeatArea a : areas) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(a.firstSeat()).append(' ').append(a.standing() ? 0 : a.rows()).append(' ').append(a.seatsPerRow());
    }
    return sb.toString();
  }

  Future<SeatResult> release(long eventId, String user, int seat) {
    return call(eventId, RELEASE, Keyspace.seatScript(eventId, user), List.of(user, seat, logMaxLen))
        .map(r -> decide(r, List.of(seat), done -> new SeatResult(done, List.of(seat), 0, observe(eventId, r.get(1).toLong()))));
  }

  /** The caller's live holds in seat order. */
  Future<List<HeldSeat>> mine(long eventId, String user) {
    return call(eventId, MINE, Keyspace.seatScript(eventId, user), List.of(user)).map(r -> {
      List<HeldSeat> out = new ArrayList<>();
      Response pairs = r.get(1);
      for (int i = 0; i + 1 < pairs.size(); i += 2) {
        out.add(new HeldSeat(pairs.get(i).toInteger(), pairs.get(i + 1).toLong()));
      }
      out.sort((a, b) -> Integer.compare(a.seat(), b.seat()));
      return out;
    });
  }

  Future<Integer> sweep(long eventId, int maxSeats) {
    return SWEEP.call(redis, Keyspace.seatScript(eventId, null), List.of(logMaxLen, maxSeats))
        .map(r -> "ok".equals(r.get(0).toString()) ? r.get(1).toInteger() : 0);
  }

  /**
   * Puts a hold's expiry in the index of due sweeping. Sent right after the hold's answer on the same pipelined
   * connection, and not waited for: if it is lost, the event is found again by {@link #markAllDue} at the next
   * start. Returns {@code expiresAt}.
   */
  /** {@link #markDue} when the script says this hold is the event's earliest (see earliest_expiry in seat-common.lua). */
  private long markDueIf(Response index, long eventId, long expiresAt) {
    return index.toInteger() == 1 ? markDue(eventId, expiresAt) : expiresAt;
  }

  long markDue(long eventId, long expiresAt) {
    SWEEP_DUE.call(redis, Keyspace.sweepDue(), List.of("mark", eventId, expiresAt))
        .onFailure(err -> log.warn("event {}: could not index a hold for the sweeper: {}", eventId, err.toString()));
    return expiresAt;
  }

  /** Marks events due now (at start: holds made before this node ran, or by a build without the index). */
  Future<Void> markAllDue(Iterable<Long> eventIds) {
    List<Future<?>> marks = new ArrayList<>();
    for (long id : eventIds) {
      marks.add(SWEEP_DUE.call(redis, Keyspace.sweepDue(), List.of("mark", id, 0)));
    }
    return Future.join(marks).mapEmpty();
  }

  /**
   * One sweeper pass: the events whose holds may have expired (at most {@code maxEvents}), each swept by one
   * script, then its index entry moved to its next expiry (or dropped) unless a hold marked it meanwhile. The
   * number of events swept: the cost follows the events with holds, not the catalog.
   */
  Future<Integer> sweepDue(int maxEvents, int maxSeats) {
    return SWEEP_DUE.call(redis, Keyspace.sweepDue(), List.of("take", maxEvents)).compose(r -> {
      Response due = r.get(1);
      List<Future<?>> sweeps = new ArrayList<>();
      for (int i = 0; i + 1 < due.size(); i += 2) {
        String event = due.get(i).toString();
        String score = due.get(i + 1).toString();
        long eventId = Long.parseLong(event);
        sweeps.add(SWEEP.call(redis, Keyspace.seatScript(eventId, null), List.of(logMaxLen, maxSeats)).compose(swept -> {
          String next = "ok".equals(swept.get(0).toString()) ? swept.get(2).toString() : "";
          return SWEEP_DUE.call(redis, Keyspace.sweepDue(), List.of("settle", event, score, next));
        }));
      }
      return Future.join(sweeps).map(sweeps.size());
    });
  }

  /** See drop-ended.lua: not through the not_ready path, as a missing version is what it leaves behind. */
  Future<Boolean> dropEnded(long eventId) {
    return DROP_ENDED.call(redis, Keyspace.hotKeys(eventId), List.of()).map(r -> "ok".equals(r.get(0).toString()));
  }

  Future<SeatResult> pin(long eventId, String user, List<Integer> seats, long windowMs, int seatCount, String chargeKey,
                         String pinToken) {
    List<Object> args = new ArrayList<>(List.of(user, windowMs, seatCount, chargeKey, pinToken));
    args.addAll(seats);
    return call(eventId, PIN, Keyspace.seatScript(eventId, user), args)
        .map(r -> decide(r, seats, done -> SeatResult.of(done, seats)));
  }

  Future<SeatResult> renewPins(long eventId, String user, List<Integer> seats, long windowMs, String chargeKey) {
    List<Object> args = new ArrayList<>(List.of(user, windowMs, chargeKey));
    args.addAll(seats);
    return call(eventId, RENEW_PIN, Keyspace.seatScript(eventId, user), args)
        .map(r -> decide(r, seats, done -> SeatResult.of(done, seats)));
  }

  /** The pins of {@code chargeKey}; with a {@code pinToken}, only those that one request made ("" for all). */
  Future<Void> unpin(long eventId, String user, List<Integer> seats, String chargeKey, String pinToken) {
    List<Object> args = new ArrayList<>(List.of(user, chargeKey, pinToken));
    args.addAll(seats);
    // The holds get back their original expiry, maybe earlier than the index says: due now, the sweep knows.
    return UNPIN.call(redis, Keyspace.seatScript(eventId, user), args).onSuccess(r -> markDue(eventId, 0)).mapEmpty();
  }

  /**
   * Marks seats sold (idempotent) and drops them from the buyer's holds (null: nobody's, and the buyer's
   * count corrects itself, see live_holds in seat-common.lua). Returns the event version afterwards.
   */
  Future<Long> sell(long eventId, String buyer, List<Integer> seats) {
    List<Object> args = new ArrayList<>(List.of(logMaxLen, buyer == null ? "" : buyer));
    args.addAll(seats);
    return call(eventId, SELL, Keyspace.seatScript(eventId, buyer), args).map(r -> observe(eventId, r.get(2).toLong()));
  }

  /**
   * Puts a cancelled order's seats back on sale (PostgreSQL committed the cancellation): sold → AVAILABLE, the
   * buyer's owned count down. Idempotent per order, whatever happened to the seats since. The number of seats
   * made available.
   */
  Future<Integer> cancel(long eventId, String orderId, List<Integer> seats) {
    List<Object> args = new ArrayList<>(List.of(logMaxLen, orderId));
    args.addAll(seats);
    return call(eventId, CANCEL, Keyspace.cancelScript(eventId), args).map(r -> {
      observe(eventId, r.get(2).toLong());
      return r.get(1).toInteger();
    });
  }

  /** Mirrors a committed ticket transfer in the owned counts; true when the seat's buyer was {@code from}. */
  Future<Boolean> transfer(long eventId, int seat, String from, String to) {
    return call(eventId, TRANSFER, Keyspace.seatScript(eventId, null), List.of(seat, from, to))
        .map(r -> r.get(1).toInteger() == 1);
  }

  /**
   * Makes Redis agree with PostgreSQL: its sold seats and their buyers, the sale's rules, and from them every
   * user's owned count (maxTicketsPerUser survives Redis losing its data). The number of seats newly marked
   * sold. Joins a restore of the same event that is already running.
   */
  Future<Integer> restore(long eventId) {
    Future<Integer> running = restoring.get(eventId);
    if (running != null) {
      return running;
    }
    Future<SaleRules> rules = rulesInDatabase.apply(eventId);
    Future<List<SoldSeats.Sold>> tickets = soldInDatabase.soldSeats(eventId);
    // The access codes first: a hold that finds them missing answers not_ready, as for a missing version.
    Future<Void> loaded = codes.loadAll(eventId);
    Future<Integer> fresh = Future.all(rules, tickets, loaded).compose(both -> {
      List<Object> args = new ArrayList<>(List.of(logMaxLen));
      args.addAll(rules.result().args());
      for (SoldSeats.Sold t : tickets.result()) {
        args.add(t.seat());
        args.add(t.buyer());
      }
      return RESTORE.call(redis, Keyspace.seatScript(eventId, null), args).map(r -> {
        observe(eventId, r.get(2).toLong());
        return r.get(1).toInteger();
      });
    });
    restoring.put(eventId, fresh);
    metrics.counter("ticketrush.seat.restores", "event", Long.toString(eventId)).increment();
    fresh.onComplete(ar -> restoring.remove(eventId, fresh));
    return fresh;
  }

  Future<SeatSnapshot> snapshot(long eventId) {
    return read(eventId, SNAPSHOT, Keyspace.seatScript(eventId, null), List.of(), r -> r.get(1).toLong())
        .map(r -> new SeatSnapshot(r.get(1).toLong(), sortedInts(r.get(2)), sortedInts(r.get(3))));
  }

  /**
   * Failover safety: if the event's counter is below {@code floor} (a promoted replica with an older counter),
   * restarts it at {@code floor + FLOOR_MARGIN} and restores the sold seats from PostgreSQL, as after data loss.
   * Single-flight per event. The version afterwards.
   */
  Future<Long> raiseVersionFloor(long eventId, long floor) {
    Future<Long> running = raising.get(eventId);
    if (running != null) {
      return running;
    }
    Future<Long> fresh = VERSION_FLOOR.call(redis, Keyspace.seatScript(eventId, null), List.of(floor, FLOOR_MARGIN, logMaxLen))
        .compose(r -> {
          long version = r.get(1).toLong();
          highest.merge(eventId, version, Math::max);
          if (r.get(2).toInteger() == 0) {
            return Future.succeededFuture(version);
          }
          log.warn("event {}: version counter was below {} (failover to an older replica?); restarted at {}, "
              + "restoring sold seats from PostgreSQL", eventId, floor, version);
          metrics.counter("ticketrush.seat.version.raises", "event", Long.toString(eventId)).increment();
          return restore(eventId).map(n -> version);
        });
    raising.put(eventId, fresh);
    fresh.onComplete(ar -> raising.remove(eventId, fresh));
    return fresh;
  }

  /**
   * Remembers the highest version a script answered for the event. On one pipelined connection Redis answers in
   * order, so per event these only grow, unless a failover put an older replica in charge: then the counter is
   * raised above what this node saw (the change just made keeps its reused version; watchers meet a gap after
   * it and resync from a snapshot).
   */
  private long observe(long eventId, long version) {
    Long seen = highest.get(eventId);
    if (seen != null && version < seen) {
      raiseVersionFloor(eventId, seen);
    } else {
      highest.put(eventId, version);
    }
    return version;
  }

  /**
   * A read script whose answer carries the version: an answer from a counter below what this node saw is never
   * handed out (a watcher would go back in time); the floor is raised and the read runs again.
   */
  private Future<Response> read(long eventId, LuaScript script, List<String> keys, List<?> args,
                                ToLongFunction<Response> version) {
    return call(eventId, script, keys, args).compose(r -> {
      long v = version.applyAsLong(r);
      Long seen = highest.get(eventId);
      if (seen != null && v < seen) {
        return raiseVersionFloor(eventId, seen).compose(x -> call(eventId, script, keys, args));
      }
      highest.put(eventId, v);
      return Future.succeededFuture(r);
    });
  }

  /** Changes after {@code since}, or null when the log no longer has them all (the client needs a snapshot). */
  Future<List<SeatChange>> since(long eventId, long since, int maxChanges) {
    List<Object> args = List.of(since, maxChanges);
    return read(eventId, SINCE, Keyspace.seatScript(eventId, null), args, r -> r.get(1).toLong()).map(r -> {
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

  /**
   * A deciding script's answer as a {@link SeatResult}. The first word is an {@link Outcome}'s own name (see
   * {@link Outcome#fromScript}); the script-specific rest is read by {@code done} when the operation did what
   * was asked (held, released, pinned). A refusal carries the seats it concerns (ticket_limit: how many the
   * caller may still take), or the asked seats when the script names none.
   */
  private static SeatResult decide(Response r, List<Integer> asked, Function<Outcome, SeatResult> done) {
    Outcome outcome = Outcome.fromScript(r.get(0).toString());
    return switch (outcome) {
      // The sale's refusals concern no seat; sale_not_open carries when the sale opens (ms).
      case SALE_NOT_OPEN -> new SeatResult(outcome, List.of(), r.get(1).toLong(), 0);
      case SALE_PAUSED, SALE_CLOSED -> SeatResult.of(outcome, List.of());
      default -> SeatResult.done(outcome) ? done.apply(outcome) : SeatResult.of(outcome, r.size() > 1 ? ints(r, 1) : asked);
    };
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
    Arrays.sort(values);
    JsonArray out = new JsonArray(new ArrayList<>(values.length));
    for (int v : values) {
      out.add(v);
    }
    return out;
  }
}
