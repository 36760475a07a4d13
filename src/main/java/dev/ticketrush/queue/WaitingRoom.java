package dev.ticketrush.queue;

import dev.ticketrush.event.QueueSettings;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LiveEvents;
import dev.ticketrush.infra.LuaScript;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Java face of the waiting-room scripts (queue-*.lua). Every decision, including the clock, is made inside one
 * script call, so any number of nodes may join, poll and admit concurrently.
 */
public final class WaitingRoom {
  private static final LuaScript JOIN = LuaScript.load("queue-join");
  private static final LuaScript POSITION = LuaScript.load("queue-position");
  private static final LuaScript TOUCH = LuaScript.load("queue-touch");
  private static final LuaScript ADMIT = LuaScript.load("queue-admit");
  private static final LuaScript DRAW = LuaScript.load("queue-draw");
  private static final LuaScript LEAVE = LuaScript.load("queue-leave");

  /**
   * @param idleMs   an admitted user not seen (queue poll, hold, release, order) for this long frees their slot
   * @param burstMs  the rate bucket holds at most this much time's worth of admissions (at least one), so a
   *                 late admission round loses nothing while no interval admits more than rate × (T + burst)
   * @param maxBatch most admissions one round makes, which bounds how long one script call blocks Redis
   */
  public record Tuning(long idleMs, long burstMs, int maxBatch) {
    public static final Tuning DEFAULT = new Tuning(20_000, 200, 2_000);
  }

  private final RedisLink redis;
  private final Tuning tuning;
  /** Each event's draw secret as Redis last answered it (set once there; a stale guess is corrected by join). */
  private final Map<Long, String> secrets = new ConcurrentHashMap<>();
  private LiveEvents live;

  public WaitingRoom(RedisLink redis, Tuning tuning) {
    this.redis = redis;
    this.tuning = tuning;
  }

  /** A room on the rate limiter's connection, for the guard in front of holds and orders. */
  public static WaitingRoom sharing(RateLimiter limiter) {
    return new WaitingRoom(limiter.redis(), Tuning.DEFAULT);
  }

  /** The same room, marking each join's event live (see {@link LiveEvents}) so the admitter serves it. */
  public WaitingRoom marking(LiveEvents live) {
    WaitingRoom room = new WaitingRoom(redis, tuning);
    room.live = live;
    return room;
  }

  public Tuning tuning() {
    return tuning;
  }

  /** Joins (or re-reads the place of a user who already joined). Never answers Lapsed or Absent. */
  public Future<QueueStatus> join(long eventId, QueueSettings queue, String user) {
    if (live != null) {
      live.touch(eventId);
    }
    return join(eventId, queue, user, secrets.computeIfAbsent(eventId, id -> Draw.newSecret()), true);
  }

  private Future<QueueStatus> join(long eventId, QueueSettings queue, String user, String secret, boolean retry) {
    long sale = queue.saleStartsAt() == null ? 0 : queue.saleStartsAt().toEpochMilli();
    // The pre-queue place is the user's draw value, computed here: Redis' Lua has no SHA-256.
    double place = Draw.place(Draw.value(secret, user));
    return JOIN.call(redis, Keyspace.queue(eventId), List.of(user, tuning.idleMs, sale, place, secret))
        .compose(r -> {
          if ("secret".equals(r.get(0).toString()) && retry) {
            secrets.put(eventId, r.get(1).toString());
            return join(eventId, queue, user, r.get(1).toString(), false);
          }
          return Future.succeededFuture(status(r));
        });
  }

  /**
   * The event's draw: before it, only the secret's commitment; after it (the first admission round at
   * {@code saleStartsAt}), the secret and every entrant's value, sorted.
   */
  public Future<DrawRecord> draw(long eventId) {
    return DRAW.call(redis, Keyspace.queue(eventId), List.of(secrets.computeIfAbsent(eventId, id -> Draw.newSecret())))
        .map(r -> {
          String secret = r.get(0).toString();
          secrets.put(eventId, secret);
          if (r.get(1).toInteger() == 0) {
            return new DrawRecord(Draw.commitment(secret), null, List.of());
          }
          List<String> entrants = new ArrayList<>(r.size() - 2);
          for (int i = 2; i < r.size(); i++) {
            entrants.add(r.get(i).toString());
          }
          return new DrawRecord(Draw.commitment(secret), secret, entrants);
        });
  }

  /** Where the user stands; an admitted user's poll keeps their slot alive. */
  public Future<QueueStatus> position(long eventId, String user) {
    return POSITION.call(redis, Keyspace.queue(eventId), List.of(user, tuning.idleMs)).map(WaitingRoom::status);
  }

  /**
   * Succeeds when the user holds a live admission slot, renewing it; otherwise fails with 403
   * {@code admission_required}. A valid token alone is not enough: a slot freed by inactivity may already
   * be someone else's.
   */
  public Future<Void> stillAdmitted(long eventId, String user) {
    return TOUCH.call(redis, Keyspace.queue(eventId), List.of(user, tuning.idleMs)).compose(r -> r.toInteger() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(Rejection.of(Outcome.ADMISSION_REQUIRED,
            "your admission lapsed (token expired or no activity for " + tuning.idleMs / 1000 + " s): join the queue again")));
  }

  /**
   * The user is done: out of the line, or their active slot freed at once (the entry token stops working).
   * Answers whether they were in the room at all.
   */
  public Future<Boolean> leave(long eventId, String user) {
    return LEAVE.call(redis, Keyspace.queue(eventId), List.of(user)).map(r -> !"absent".equals(r.toString()));
  }

  /** One admission round (see queue-admit.lua for why it is exact with several admitters). */
  public Future<AdmissionRound> admit(long eventId, QueueSettings queue) {
    long sale = queue.saleStartsAt() == null ? 0 : queue.saleStartsAt().toEpochMilli();
    return ADMIT.call(redis, Keyspace.queue(eventId), List.of(queue.admitPerSecond(), queue.maxActive(), sale,
            queue.entryTtlSeconds() * 1000L, tuning.idleMs, tuning.maxBatch, tuning.burstMs))
        .map(r -> new AdmissionRound("open".equals(r.get(0).toString()), r.get(1).toInteger(), r.get(2).toLong(),
            r.get(3).toLong(), r.get(4).toLong(), Double.parseDouble(r.get(5).toString())));
  }

  private static QueueStatus status(Response r) {
    return switch (r.get(0).toString()) {
      case "admitted" -> new QueueStatus.Admitted(r.get(1).toLong());
      case "waiting" -> new QueueStatus.Waiting(r.get(1).toLong(), r.get(2).toLong(),
          Double.parseDouble(r.get(3).toString()), r.get(4).toInteger() == 1, r.get(5).toLong());
      case "lapsed" -> new QueueStatus.Lapsed();
      default -> new QueueStatus.Absent();
    };
  }
}
