package dev.ticketrush.broadcast;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.LocalOnlyCodec;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.seat.SeatService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Delivers every change of every event watched on this node: tails the events' change logs in Redis
 * ({@link ChangeLogTail}), turns them into gap-free {@link Patch}es ({@link EventFeed}) and publishes them on
 * the local event bus; the WebSocket endpoint and the SockJS bridge hand them to clients. Every node does this
 * on its own, so nodes share nothing but Redis.
 *
 * <p>Also keeps this node's presence counts in Redis and publishes each watched event's total every
 * {@link #TICK_MS}. One instance per node.
 */
public final class BroadcastVerticle extends VerticleBase {
  static final long TICK_MS = 2_000;
  /** A tail outlives its last watcher a while: reconnecting clients are common, restarting a tail is cheap anyway. */
  static final long LINGER_MS = 30_000;
  /** An HTTP verticle instance that stopped reporting (undeployed) no longer counts. */
  private static final long SOURCE_STALE_MS = 5 * LocalWatchers.REPORT_MS;

  private final RedisEndpoint redisEndpoint;
  private final SeatService seats;
  private final String nodeId = UUID.randomUUID().toString();
  private final Map<Long, EventFeed> feeds = new LinkedHashMap<>();
  private final Set<Long> starting = new HashSet<>();
  private final Map<String, SourceCounts> sources = new HashMap<>();
  /** The count this node last wrote to the presence board, per event (to remove it when it drops to zero). */
  private final Map<Long, Integer> written = new HashMap<>();
  private RedisLink control;
  /** Standalone and Sentinel: one tail reads every watched event's stream. */
  private ChangeLogTail tail;
  /** Cluster: one tail per watched event (a multi-stream read would be CROSSSLOT; see {@link ChangeLogTail}). */
  private final Map<Long, ChangeLogTail> eventTails = new HashMap<>();
  private PresenceBoard presence;
  private MessageConsumer<JsonObject> consumer;
  private long ticker;

  private record SourceCounts(Map<Long, Integer> counts, long at) {
  }

  public BroadcastVerticle(RedisEndpoint redisEndpoint, SeatService seats) {
    this.redisEndpoint = redisEndpoint;
    this.seats = seats;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().registerDefaultCodec(Patch.class, new LocalOnlyCodec<>(Patch.class));
    vertx.eventBus().registerDefaultCodec(Resync.class, new LocalOnlyCodec<>(Resync.class));
    control = new RedisLink(vertx, redisEndpoint);
    presence = new PresenceBoard(control);
    if (!redisEndpoint.cluster()) {
      tail = new ChangeLogTail(vertx, redisEndpoint, control, feeds);
    }
    consumer = vertx.eventBus().localConsumer(Addresses.WATCH, this::onNotice);
    ticker = vertx.setPeriodic(TICK_MS, id -> tick());
    return consumer.completion();
  }

  /** A node that stops on purpose (rolling deploy) takes its watchers off the board now rather than at expiry. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(ticker);
    feeds.values().forEach(EventFeed::close);
    if (tail != null) {
      tail.stop();
    }
    eventTails.values().forEach(ChangeLogTail::stop);
    List<Future<Long>> removals = new ArrayList<>();
    written.keySet().forEach(eventId -> removals.add(presence.report(eventId, nodeId, 0)));
    return Future.join(removals).timeout(1, TimeUnit.SECONDS).eventually(() -> {
      control.close();
      vertx.eventBus().unregisterDefaultCodec(Patch.class);
      vertx.eventBus().unregisterDefaultCodec(Resync.class);
      return Future.succeededFuture();
    }).otherwiseEmpty();
  }

  private void onNotice(Message<JsonObject> msg) {
    JsonObject notice = msg.body();
    long now = System.currentTimeMillis();
    if (notice.containsKey(LocalWatchers.COUNTS)) {
      Map<Long, Integer> counts = new HashMap<>();
      notice.getJsonObject(LocalWatchers.COUNTS).forEach(e -> counts.put(Long.parseLong(e.getKey()), ((Number) e.getValue()).intValue()));
      sources.put(notice.getString(LocalWatchers.SOURCE), new SourceCounts(counts, now));
      counts.forEach((eventId, n) -> {
        if (n > 0) {
          ensureFeed(eventId, null, now);
        }
      });
    } else {
      ensureFeed(notice.getLong(LocalWatchers.EVENT_ID), notice.getLong(LocalWatchers.FROM), now);
    }
  }

  private void ensureFeed(long eventId, Long from, long now) {
    EventFeed feed = feeds.get(eventId);
    if (feed != null) {
      // An existing tail already delivers everything after what its watchers have; a newcomer with an older
      // version fills its own gap from the log.
      feed.wantedUntil(now + LINGER_MS);
      return;
    }
    if (from != null) {
      addFeed(eventId, from, now);
      return;
    }
    if (!starting.add(eventId)) {
      return;
    }
    // No version given (a bridge client): start at the current one. If Redis does not answer, the next report
    // tries again rather than replaying the whole retained log from 0.
    control.send(Request.cmd(Command.GET).arg(Keyspace.version(eventId))).onComplete(ar -> {
      starting.remove(eventId);
      if (ar.succeeded() && !feeds.containsKey(eventId)) {
        addFeed(eventId, ar.result() == null ? 0 : ar.result().toLong(), System.currentTimeMillis());
      }
    });
  }

  private void addFeed(long eventId, long from, long now) {
    EventFeed feed = new EventFeed(vertx, eventId, from);
    feed.wantedUntil(now + LINGER_MS);
    feeds.put(eventId, feed);
    if (tail != null) {
      tail.wake();
    } else {
      Map<Long, EventFeed> one = new HashMap<>(Map.of(eventId, feed));
      ChangeLogTail own = new ChangeLogTail(vertx, redisEndpoint, null, one);
      eventTails.put(eventId, own);
      own.wake();
    }
  }

  private void tick() {
    long now = System.currentTimeMillis();
    Map<Long, Integer> totals = nodeTotals(now);
    totals.forEach((eventId, n) -> ensureFeed(eventId, null, now));
    publishPresence(totals);
    checkCounters();
    dropUnwanted(totals, now);
  }

  private Map<Long, Integer> nodeTotals(long now) {
    sources.values().removeIf(s -> now - s.at() > SOURCE_STALE_MS);
    Map<Long, Integer> totals = new HashMap<>();
    for (SourceCounts s : sources.values()) {
      s.counts().forEach((eventId, n) -> {
        if (n > 0) {
          totals.merge(eventId, n, Integer::sum);
        }
      });
    }
    return totals;
  }

  private void publishPresence(Map<Long, Integer> totals) {
    Set<Long> events = new HashSet<>(totals.keySet());
    events.addAll(written.keySet());
    for (long eventId : events) {
      int count = totals.getOrDefault(eventId, 0);
      presence.report(eventId, nodeId, count).onSuccess(active -> {
        if (count > 0) {
          written.put(eventId, count);
          vertx.eventBus().publish(Addresses.presence(eventId),
              new JsonObject().put("type", "presence").put("active", active).encode());
        } else {
          written.remove(eventId);
        }
      });
    }
  }

  /**
   * A version counter below what a feed already read means Redis restarted lower: an old backup, or a failover
   * to a replica that had not received the latest changes. The stream read would wait forever for ids it
   * already passed, and versions must never go backwards, so the seat service raises the counter above this
   * position (and restores sold seats); its RESYNC marker in the log makes the feed resync. Positions are taken
   * when asking, so a feed that reads newer entries meanwhile is no false alarm. In cluster mode the GETs go out
   * as separate sends (see {@link RedisLink#batch}).
   */
  private void checkCounters() {
    if (feeds.isEmpty()) {
      return;
    }
    List<EventFeed> order = new ArrayList<>(feeds.values());
    List<Request> gets = new ArrayList<>(order.size());
    long[] seen = new long[order.size()];
    for (int i = 0; i < order.size(); i++) {
      gets.add(Request.cmd(Command.GET).arg(Keyspace.version(order.get(i).eventId())));
      seen[i] = order.get(i).position();
    }
    control.batch(gets).onSuccess(replies -> {
      for (int i = 0; i < order.size(); i++) {
        Response r = replies.get(i);
        EventFeed feed = order.get(i);
        if (r != null && r.toLong() < seen[i] && feeds.get(feed.eventId()) == feed) {
          seats.raiseVersionFloor(feed.eventId(), seen[i]);
        }
      }
    });
  }

  private void dropUnwanted(Map<Long, Integer> totals, long now) {
    feeds.values().removeIf(feed -> {
      boolean drop = !totals.containsKey(feed.eventId()) && feed.unwanted(now);
      if (drop) {
        feed.close();
        ChangeLogTail own = eventTails.remove(feed.eventId());
        if (own != null) {
          own.stop();
        }
      }
      return drop;
    });
  }
}
