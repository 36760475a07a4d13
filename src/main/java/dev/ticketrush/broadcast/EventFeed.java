package dev.ticketrush.broadcast;

import dev.ticketrush.infra.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One watched event's change log as this node follows it. Entries arrive in version order from
 * {@link ChangeLogTail}; they are checked for gaps and coalesced into {@link Patch}es: the first change after
 * a quiet moment goes out at once, later ones wait at most {@link #WINDOW_MS}, and a batch never exceeds
 * {@link #MAX_BATCH} changes. Patches are published in order from one context, so every consumer sees
 * consecutive versions across patches too.
 */
final class EventFeed {
  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
  static final long WINDOW_MS = 50;
  static final int MAX_BATCH = 256;
  /** The status of the log marker version-floor.lua writes when it restarts the counter higher. */
  static final String RESYNC = "RESYNC";

  private final Vertx vertx;
  private final EventBus bus;
  private final long eventId;
  private final LongSupplier clock;
  private final List<LogEntry> pending = new ArrayList<>();
  private long position;
  private long flushTimer = -1;
  private long lastFlushAt;
  private long wantedUntil;

  /** @param position the last version already known to the watchers; the feed continues after it */
  EventFeed(Vertx vertx, long eventId, long position) {
    this(vertx, eventId, position, System::currentTimeMillis);
  }

  /** @param clock milliseconds, for the window (a test's clock decides what counts as a quiet moment) */
  EventFeed(Vertx vertx, long eventId, long position, LongSupplier clock) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.eventId = eventId;
    this.position = position;
    this.clock = clock;
  }

  long eventId() {
    return eventId;
  }

  /** The last version read from the log: the next read starts after it (also after a reconnect). */
  long position() {
    return position;
  }

  void wantedUntil(long deadline) {
    wantedUntil = Math.max(wantedUntil, deadline);
  }

  boolean unwanted(long now) {
    return now > wantedUntil;
  }

  void accept(List<LogEntry> entries) {
    for (LogEntry e : entries) {
      if (e.version() <= position) {
        continue; // read twice (a read raced a reconnect): already published
      }
      if (RESYNC.equals(e.status())) {
        // The counter was raised above a failover (version-floor.lua): what came before it is unknown here.
        log.warn("event {}: version counter restarted at {} (after {}), watchers resync", eventId, e.version(), position);
        resync("failover");
        position = e.version();
        continue;
      }
      if (e.version() != position + 1) {
        // Trimmed before we read it, or Redis restarted its counter higher: what happened in between is unknown.
        log.warn("event {}: change log jumps from version {} to {}, watchers resync", eventId, position, e.version());
        resync("gap");
      }
      pending.add(e);
      position = e.version();
      if (pending.size() >= MAX_BATCH) {
        flush();
      }
    }
    scheduleFlush();
  }

  void close() {
    flush();
  }

  private void resync(String reason) {
    flush();
    Resync marker = new Resync(eventId, reason);
    bus.publish(Addresses.patches(eventId), marker);
    bus.publish(Addresses.seats(eventId), marker.toJson());
  }

  private void scheduleFlush() {
    if (pending.isEmpty() || flushTimer >= 0) {
      return;
    }
    long wait = lastFlushAt + WINDOW_MS - clock.getAsLong();
    if (wait <= 0) {
      flush();
    } else {
      flushTimer = vertx.setTimer(wait, id -> {
        flushTimer = -1;
        flush();
      });
    }
  }

  private void flush() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (pending.isEmpty()) {
      return;
    }
    Patch patch = Patch.of(eventId, pending);
    pending.clear();
    lastFlushAt = clock.getAsLong();
    bus.publish(Addresses.patches(eventId), patch);
    bus.publish(Addresses.seats(eventId), patch.toJson());
  }
}
