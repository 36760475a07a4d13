package dev.ticketrush.broadcast;

import dev.ticketrush.seat.SeatChange;
import dev.ticketrush.seat.SeatSnapshot;
import dev.ticketrush.seat.SeatService;
import dev.ticketrush.infra.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The WebSockets of one event on one event loop, and their subscriptions: live patches, presence and the
 * waiting room's progress. Each message is received once here and its one encoding written to every socket.
 * Snapshots asked for at the same time (a reconnect storm, a resync) share one Redis call and one encoding.
 */
final class EventChannel {
  private static final Logger log = LoggerFactory.getLogger(EventChannel.class);
  static final long PING_MS = 30_000;

  private final Vertx vertx;
  private final long eventId;
  private final SeatService seats;
  private final RealtimeMetrics metrics;
  private final Set<SeatWebSocket> sockets = new LinkedHashSet<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final long pinger;
  private Future<SnapshotFrame> snapshotInFlight;

  record SnapshotFrame(long version, SharedTextFrame frame) {
  }

  EventChannel(Vertx vertx, long eventId, SeatService seats, RealtimeMetrics metrics) {
    this.vertx = vertx;
    this.eventId = eventId;
    this.seats = seats;
    this.metrics = metrics;
    consumers.add(vertx.eventBus().<Object>localConsumer(Addresses.patches(eventId), m -> onFeed(m.body())));
    consumers.add(vertx.eventBus().<String>localConsumer(Addresses.presence(eventId), m -> onInfo("presence", m.body())));
    consumers.add(vertx.eventBus().localConsumer(Addresses.queue(eventId), m -> onInfo("queue", text(m.body()))));
    // Keeps idle connections open through proxies and load balancers that cut silent ones.
    pinger = vertx.setPeriodic(PING_MS, id -> each(SeatWebSocket::ping));
  }

  boolean isEmpty() {
    return sockets.isEmpty();
  }

  /** Joins before the socket asks for its first state, so no live patch can slip between the two. */
  void add(SeatWebSocket socket) {
    sockets.add(socket);
  }

  void remove(SeatWebSocket socket) {
    sockets.remove(socket);
  }

  void close() {
    vertx.cancelTimer(pinger);
    consumers.forEach(MessageConsumer::unregister);
  }

  Future<SnapshotFrame> snapshot() {
    Future<SnapshotFrame> shared = snapshotInFlight;
    if (shared != null) {
      return shared;
    }
    Future<SnapshotFrame> fresh = seats.snapshot(eventId).map(EventChannel::frame);
    snapshotInFlight = fresh;
    fresh.onComplete(ar -> {
      if (snapshotInFlight == fresh) {
        snapshotInFlight = null;
      }
    });
    return fresh;
  }

  /** The changes after {@code version}, or null when the log no longer has them all (or too many). */
  Future<List<SeatChange>> since(long version, int max) {
    return seats.since(eventId, version, max);
  }

  void slowClientDropped() {
    metrics.slowClientDropped();
  }

  private void onFeed(Object item) {
    if (item instanceof Patch p) {
      each(s -> s.onPatch(p));
      if (!sockets.isEmpty()) {
        metrics.delivered(p.changedAtMs(), System.currentTimeMillis());
      }
    } else if (item instanceof Resync) {
      each(SeatWebSocket::onResync);
    }
  }

  private void onInfo(String type, String frame) {
    if (frame != null) {
      each(s -> s.onInfo(type, frame));
    }
  }

  /** One socket's failure (it closed under us) must not keep the others from their frame. */
  private void each(Consumer<SeatWebSocket> action) {
    for (SeatWebSocket s : List.copyOf(sockets)) {
      try {
        action.accept(s);
      } catch (RuntimeException e) {
        log.debug("event {}: socket skipped: {}", eventId, e.toString());
      }
    }
  }

  private static String text(Object body) {
    if (body instanceof JsonObject json) {
      return json.encode();
    }
    if (body instanceof String s) {
      return s;
    }
    if (body instanceof Buffer b) {
      return b.toString();
    }
    return null;
  }

  private static SnapshotFrame frame(SeatSnapshot s) {
    String text = new JsonObject()
        .put("type", "snapshot")
        .put("version", s.version())
        .put("held", s.held())
        .put("sold", s.sold())
        .encode();
    return new SnapshotFrame(s.version(), new SharedTextFrame(text));
  }
}
