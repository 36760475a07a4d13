package dev.ticketrush.broadcast;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisConnections;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Follows the change logs of every watched event of this node with one blocking
 * {@code XREAD BLOCK .. STREAMS key.. id..} on a dedicated connection: a blocked connection can serve nothing
 * else, so it is never the request path's. Each read starts after every feed's {@link EventFeed#position()},
 * so a reconnect (Redis restart, network) continues exactly where delivery stopped.
 *
 * <p>A read only covers the streams named when it was sent; when an event is added, {@code CLIENT UNBLOCK}
 * (over the control connection) ends the current read early so the next one includes it.
 *
 * <p>In a Redis Cluster, one XREAD over several events' streams is CROSSSLOT. There each watched event has its own
 * tail ({@link BroadcastVerticle} creates it with the event's first watcher and stops it when the feed is
 * dropped), whose read names one stream: per event rather than per shard, because it needs no slot map, no
 * regrouping when slots move or a shard fails over, and a new event never has to interrupt another's read (so no
 * {@code CLIENT UNBLOCK}, which would have to reach the right shard; {@code control} is null). The cost is one
 * cluster connection (a socket to each master) per watched event and node, instead of one socket per shard.
 *
 * <p>A read that has not answered {@link RedisEndpoint#commandTimeoutMs} after its BLOCK time (a host that died
 * silently) fails: the connection is retired and the next read connects afresh (in sentinel mode to the
 * current master).
 */
final class ChangeLogTail {
  private static final Logger log = LoggerFactory.getLogger(ChangeLogTail.class);
  static final int BLOCK_MS = 1_000;
  static final int READ_COUNT = 1_024;
  private static final long MAX_BACKOFF_MS = 2_000;

  private final Vertx vertx;
  private final Redis client;
  private final long readDeadlineMs;
  private final RedisLink control;
  private final Map<Long, EventFeed> feeds;
  private RedisConnection connection;
  private long clientId = -1;
  private boolean reading;
  private boolean stopped;
  private long round;
  private long backoffMs = 50;

  /** @param control the link for {@code CLIENT UNBLOCK}, or null when the set of feeds never changes (cluster) */
  ChangeLogTail(Vertx vertx, RedisEndpoint endpoint, RedisLink control, Map<Long, EventFeed> feeds) {
    this.vertx = vertx;
    this.control = control;
    this.feeds = feeds;
    this.readDeadlineMs = BLOCK_MS + endpoint.commandTimeoutMs();
    // RESP2 keeps the XREAD reply one shape (nested arrays) whatever the server version.
    this.client = Redis.createClient(vertx, endpoint.options()
        .setPreferredProtocolVersion(ProtocolVersion.RESP2)
        .setMaxPoolSize(endpoint.linkPoolSize())
        .setMaxPoolWaiting(8));
  }

  /** The set of feeds changed: start reading, or make the blocked read return so the next one sees them. */
  void wake() {
    if (stopped) {
      return;
    }
    if (!reading) {
      read();
    } else {
      unblock(round, 0);
    }
  }

  void stop() {
    stopped = true;
    if (connection != null) {
      connection.close();
    }
    client.close();
  }

  private void read() {
    if (stopped || reading || feeds.isEmpty()) {
      return;
    }
    reading = true;
    long myRound = ++round;
    Map<String, EventFeed> byKey = new HashMap<>();
    // The deadline's timer runs on this verticle's context, so does whatever completes the read first.
    Promise<Response> answer = Promise.promise();
    long deadline = vertx.setTimer(readDeadlineMs, id -> answer.tryFail(
        new TimeoutException("no answer to XREAD within " + readDeadlineMs + " ms")));
    connect().compose(c -> c.send(request(byKey))).onComplete(ar -> {
      vertx.cancelTimer(deadline);
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else {
        answer.tryFail(ar.cause());
      }
    });
    answer.future().onComplete(ar -> {
      reading = false;
      if (stopped) {
        return;
      }
      if (ar.failed()) {
        log.warn("change log read failed (round {}), retrying in {} ms: {}", myRound, backoffMs, ar.cause().toString());
        drop();
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        vertx.setTimer(delay, id -> read());
        return;
      }
      backoffMs = 50;
      dispatch(ar.result(), byKey);
      read();
    });
  }

  /** Built at send time, so it names the feeds (and positions) of that moment. */
  private Request request(Map<String, EventFeed> byKey) {
    List<EventFeed> order = new ArrayList<>(feeds.values());
    Request req = Request.cmd(Command.XREAD).arg("COUNT").arg(READ_COUNT).arg("BLOCK").arg(BLOCK_MS).arg("STREAMS");
    for (EventFeed f : order) {
      String key = Keyspace.changeLog(f.eventId());
      byKey.put(key, f);
      req.arg(key);
    }
    for (EventFeed f : order) {
      req.arg(Long.toString(f.position()) + "-0");
    }
    return req;
  }

  private void dispatch(Response reply, Map<String, EventFeed> byKey) {
    if (reply == null) {
      return; // timed out or unblocked
    }
    for (Response stream : reply) {
      EventFeed feed = byKey.get(stream.get(0).toString());
      if (feed == null || feeds.get(feed.eventId()) != feed) {
        continue; // no longer watched
      }
      Response items = stream.get(1);
      List<LogEntry> entries = new ArrayList<>(items.size());
      for (Response item : items) {
        LogEntry e = entry(item);
        if (e != null) {
          entries.add(e);
        }
      }
      feed.accept(entries);
    }
  }

  private static LogEntry entry(Response item) {
    String id = item.get(0).toString();
    Response fields = item.get(1);
    if (fields == null) {
      return null;
    }
    int seat = 0;
    String status = null;
    long at = 0;
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      switch (fields.get(i).toString()) {
        case "s" -> seat = fields.get(i + 1).toInteger();
        case "st" -> status = fields.get(i + 1).toString();
        case "t" -> at = fields.get(i + 1).toLong();
        default -> {
        }
      }
    }
    int dash = id.indexOf('-');
    long version = Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    return status == null ? null : new LogEntry(version, seat, status, at);
  }

  private Future<RedisConnection> connect() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    return client.connect().compose(c -> (control == null ? Future.<Response>succeededFuture(null)
        : c.send(Request.cmd(Command.CLIENT).arg("ID"))).map(id -> {
      // A cluster connection reports every server's loss, also of shards this tail does not read; only a failed
      // read of its own stream replaces it (read()).
      if (control != null) {
        c.exceptionHandler(err -> {
          if (connection == c) {
            drop();
          }
        });
        c.endHandler(v -> {
          if (connection == c) {
            drop();
          }
        });
      }
      connection = c;
      clientId = id == null ? -1 : id.toLong();
      return c;
    }));
  }

  private void drop() {
    RedisConnection c = connection;
    connection = null;
    clientId = -1;
    if (c != null) {
      RedisConnections.retire(c); // close() would hand a silent connection back to the pool
    }
  }

  /**
   * The UNBLOCK may reach Redis before the read it targets does (then it unblocks nothing): retry briefly while
   * that same read is still pending. BLOCK_MS bounds the delay if every try misses.
   */
  private void unblock(long targetRound, int attempt) {
    if (control == null || clientId < 0 || attempt > 5) {
      return;
    }
    control.send(Request.cmd(Command.CLIENT).arg("UNBLOCK").arg(clientId)).onComplete(ar -> {
      boolean missed = ar.succeeded() && ar.result() != null && ar.result().toInteger() == 0;
      if (missed && reading && round == targetRound && !stopped) {
        vertx.setTimer(2, id -> unblock(targetRound, attempt + 1));
      }
    });
  }
}
