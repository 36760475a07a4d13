package dev.ticketrush.seat;

import dev.ticketrush.event.Event;
import dev.ticketrush.infra.SharedFutures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /seats} answers of one node, coalesced: at most one snapshot script per event per
 * {@link #INTERVAL_MS}, its JSON encoded once and shared by every request (of every event loop) waiting for it.
 * The snapshot script is O(seats), so without this a crowd refreshing the map costs Redis one full scan per request.
 *
 * <p>Freshness: a request is only ever answered by a snapshot read <em>after</em> it arrived, never by an older
 * cached one, so a client sees its own hold at once and versions never go backwards for a client that asks
 * again. The price of coalescing is latency instead: when the event's last read started less than the interval
 * ago, the request waits (at most {@link #INTERVAL_MS}) for the next one, which answers everybody who arrived
 * in the meantime.
 */
public final class SnapshotCache {
  static final long INTERVAL_MS = 100;
  private static final long INTERVAL_NANOS = INTERVAL_MS * 1_000_000;

  /** One event's reads; guarded by itself. */
  private static final class Reads {
    long lastStartNanos;
    boolean started;
    /** Requests waiting for the next read, which has not started yet. */
    Promise<Buffer> next;
  }

  private final SeatService seats;
  private final Vertx vertx;
  private final Map<Long, Reads> byEvent = new ConcurrentHashMap<>();
  private final Counter reads;

  public SnapshotCache(SeatService seats, Vertx vertx, MeterRegistry metrics) {
    this.seats = seats;
    this.vertx = vertx;
    this.reads = Counter.builder("ticketrush.seat.snapshot.reads")
        .description("Seat snapshot scripts run for GET /seats (after coalescing)")
        .register(metrics);
  }

  /** The encoded {@code GET /seats} body of the event, read after this call. */
  Future<Buffer> body(Event e) {
    Reads r = byEvent.computeIfAbsent(e.id(), id -> new Reads());
    Promise<Buffer> waiting;
    long delayNanos;
    synchronized (r) {
      if (r.next != null) {
        return SharedFutures.onCallerContext(r.next.future());
      }
      waiting = Promise.promise();
      r.next = waiting;
      delayNanos = r.started ? r.lastStartNanos + INTERVAL_NANOS - System.nanoTime() : 0;
    }
    if (delayNanos <= 0) {
      read(e, r);
    } else {
      vertx.setTimer(Math.max(1, (delayNanos + 999_999) / 1_000_000), id -> read(e, r));
    }
    return SharedFutures.onCallerContext(waiting.future());
  }

  private void read(Event e, Reads r) {
    Promise<Buffer> answer;
    synchronized (r) {
      answer = r.next;
      r.next = null;
      r.started = true;
      r.lastStartNanos = System.nanoTime();
    }
    reads.increment();
    seats.snapshot(e.id()).map(s -> s.toJson(e.id(), e.seatCount()).toBuffer()).onComplete(answer);
  }
}
