package dev.ticketrush.broadcast;

import dev.ticketrush.seat.SeatChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client's seat feed over a WebSocket. The client always holds a consistent map at {@link #version}:
 * a snapshot or caught-up patches first, then only patches that continue exactly after it.
 *
 * <p>No change lost or sent twice: the socket listens to the live patches before it asks for its first state
 * and keeps them while asking; afterwards, whatever the first state already covers is skipped (or cut), and
 * a patch that does not continue the client's version (a race with a new tail, a buffer dropped under load)
 * makes it fetch the missing changes from the log, or a snapshot when the log no longer has them.
 *
 * <p>Slow clients: a patch is only written while the socket's write queue has room; otherwise the socket keeps
 * references to the shared patches (bounded) and catches up when it drains. A client that stays full for
 * {@link #SLOW_CLIENT_MS} is closed; it reconnects with {@code ?since=}. The first snapshot and a catch-up are
 * written whole (one frame is one consistent map) and start that clock when they leave the queue full.
 */
final class SeatWebSocket {
  static final int WRITE_QUEUE_BYTES = 256 * 1024;
  static final long SLOW_CLIENT_MS = 10_000;
  /** More buffered patches than this: drop them and catch up from the log instead. */
  static final int MAX_PENDING = 512;
  static final int CATCH_UP_MAX = 5_000;
  static final short TRY_AGAIN_LATER = 1013;
  static final short INTERNAL_ERROR = 1011;

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final EventChannel channel;
  private final ArrayDeque<Patch> pending = new ArrayDeque<>();
  /** Latest presence/queue frame per type that could not be written yet. */
  private final Map<String, String> unsentInfo = new HashMap<>(2);
  private final Map<String, String> sentInfo = new HashMap<>(2);
  private long version = -1;
  private boolean syncing = true;
  private boolean stale;
  private boolean forceSnapshot;
  private boolean congested;
  private long slowTimer = -1;
  private boolean closed;
  private Runnable onFirstState;

  SeatWebSocket(Vertx vertx, ServerWebSocket ws, EventChannel channel) {
    this.vertx = vertx;
    this.ws = ws;
    this.channel = channel;
    ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
  }

  long version() {
    return version;
  }

  /** Sends the first state: the changes after {@code since} when the log still has them all, else a snapshot. */
  void start(Long since, Runnable onFirstState) {
    this.onFirstState = onFirstState;
    if (since != null && since >= 0) {
      version = since;
    } else {
      forceSnapshot = true;
    }
    catchUp();
  }

  void onPatch(Patch patch) {
    if (closed) {
      return;
    }
    if (pending.size() >= MAX_PENDING) {
      pending.clear(); // the log has them; cheaper than holding an unbounded backlog for one client
      stale = true;
    }
    pending.add(patch);
    pump();
  }

  void onResync() {
    pending.clear();
    stale = true;
    forceSnapshot = true;
    pump();
  }

  /** Presence and queue frames: only the latest matters, and a client gets each value once. */
  void onInfo(String type, String frame) {
    if (closed || ws.isClosed() || frame.equals(sentInfo.get(type))) {
      return;
    }
    if (syncing || congested || version < 0 || ws.writeQueueFull()) {
      unsentInfo.put(type, frame);
      return;
    }
    sentInfo.put(type, frame);
    ws.writeTextMessage(frame);
  }

  void ping() {
    if (!closed && !congested && !ws.isClosed()) {
      ws.writePing(io.vertx.core.buffer.Buffer.buffer());
    }
  }

  void closed() {
    closed = true;
    pending.clear();
    if (slowTimer >= 0) {
      vertx.cancelTimer(slowTimer);
    }
  }

  private void pump() {
    if (ws.isClosed()) {
      closed(); // closing (by us or the client): the close handler follows, nothing more to write
      return;
    }
    while (!closed && !syncing && !congested) {
      boolean work = stale || !pending.isEmpty() || !unsentInfo.isEmpty();
      if (work && ws.writeQueueFull()) {
        congest();
        return;
      }
      if (stale) {
        catchUp();
        return;
      }
      Patch p = pending.poll();
      if (p == null) {
        flushInfo();
        return;
      }
      deliver(p);
    }
  }

  private void deliver(Patch p) {
    if (p.toVersion() <= version) {
      return; // covered by the snapshot or catch-up
    }
    if (p.fromVersion() > version + 1) {
      pending.addFirst(p); // changes in between are missing here: fetch them, then continue with this one
      stale = true;
      return;
    }
    if (p.fromVersion() > version) {
      p.frame().writeTo(ws); // the node's one encoding of this patch
    } else {
      ws.writeTextMessage(p.frameAfter(version));
    }
    version = p.toVersion();
  }

  private void catchUp() {
    syncing = true;
    stale = false;
    boolean snapshot = forceSnapshot || version < 0;
    forceSnapshot = false;
    Future<Void> done = snapshot ? sendSnapshot() : channel.since(version, CATCH_UP_MAX).compose(changes -> {
      if (changes == null) {
        return sendSnapshot();
      }
      sendChanges(changes);
      return Future.succeededFuture();
    });
    done.onComplete(ar -> {
      syncing = false;
      if (closed) {
        return;
      }
      if (ar.failed()) {
        ws.close(INTERNAL_ERROR, "seat store unavailable, reconnect");
        return;
      }
      if (onFirstState != null) {
        Runnable first = onFirstState;
        onFirstState = null;
        first.run();
      }
      if (ws.writeQueueFull()) {
        // A snapshot or catch-up can fill the queue by itself: the slow-client clock runs from here, so a client
        // that never reads is closed (and its buffered map released) even when no further change arrives.
        congest();
        return;
      }
      pump();
    });
  }

  private Future<Void> sendSnapshot() {
    return channel.snapshot().map(s -> {
      if (!closed) {
        s.frame().writeTo(ws);
        version = s.version();
      }
      return null;
    });
  }

  private void sendChanges(List<SeatChange> changes) {
    for (int from = 0; from < changes.size() && !closed; from += EventFeed.MAX_BATCH) {
      List<SeatChange> part = changes.subList(from, Math.min(changes.size(), from + EventFeed.MAX_BATCH));
      ws.writeTextMessage(Patch.json(part).encode());
      version = part.get(part.size() - 1).version();
    }
  }

  private void flushInfo() {
    if (unsentInfo.isEmpty()) {
      return;
    }
    Map<String, String> infos = new HashMap<>(unsentInfo);
    unsentInfo.clear();
    infos.forEach(this::onInfo);
  }

  private void congest() {
    congested = true;
    ws.drainHandler(v -> {
      congested = false;
      ws.drainHandler(null);
      vertx.cancelTimer(slowTimer);
      slowTimer = -1;
      pump();
    });
    slowTimer = vertx.setTimer(SLOW_CLIENT_MS, id -> {
      slowTimer = -1;
      if (congested && !closed) {
        channel.slowClientDropped();
        ws.close(TRY_AGAIN_LATER, "too slow; reconnect with ?since=" + version);
      }
    });
  }
}
