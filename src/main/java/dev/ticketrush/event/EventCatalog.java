package dev.ticketrush.event;

import dev.ticketrush.infra.SharedFutures;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Read-through cache of events, shared by the verticles of one process. An event's layout and prices never
 * change after creation, so a cached copy of them is never stale and nodes need no invalidation protocol. Its sale
 * settings do change (PATCH): they are decided from Redis, not from this cache (see {@link SaleSettings}); the
 * node that applied a change shows it at once, every other node within one reconcile pass ({@link #loadAll}).
 *
 * <p>Unknown ids are cached too, for {@link #MISS_TTL_MS} and at most {@link #MAX_MISSES} of them (oldest
 * evicted first), and concurrent lookups of one id share one query: a client hammering made-up ids (HTTP,
 * WebSocket upgrades, bridge registrations) costs PostgreSQL at most one query per id and TTL. The price: an
 * event created on <em>another</em> node may answer 404 here for up to the TTL after its creation; an event
 * created on this node is visible at once ({@link #remember} comes first). There is no "id above the largest
 * known one" shortcut: other nodes create events this node has not seen, so no bound on ids is provable.
 * Ids below 1 are never issued ({@code BIGSERIAL} starts at 1, and inserts never name an id), so they skip the query.
 */
public final class EventCatalog {
  static final long MISS_TTL_MS = 2_000;
  static final int MAX_MISSES = 10_000;
  static final java.time.Duration CHANGE_MARGIN = java.time.Duration.ofSeconds(60);

  private final EventRepository repository;
  /** The newest {@code changed_at} {@link #loadChanged} has seen (only the reconciler's thread calls it). */
  private volatile java.time.OffsetDateTime newestChange;
  private final Map<Long, Event> events = new ConcurrentHashMap<>();
  private final Map<Long, Future<Layout>> layouts = new ConcurrentHashMap<>();
  /** id → when the miss expires (System.nanoTime); insertion order, so the eldest entry is the oldest miss. */
  private final LinkedHashMap<Long, Long> misses = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > MAX_MISSES;
    }
  };
  private final Map<Long, Future<Event>> lookups = new ConcurrentHashMap<>();
  private final Counter found;
  private final Counter missing;
  private final Counter failed;

  public EventCatalog(EventRepository repository, MeterRegistry metrics) {
    this.repository = repository;
    this.found = lookupCounter(metrics, "found");
    this.missing = lookupCounter(metrics, "missing");
    this.failed = lookupCounter(metrics, "error");
  }

  private static Counter lookupCounter(MeterRegistry metrics, String result) {
    return Counter.builder("ticketrush.event.lookups")
        .description("Event lookups that reached PostgreSQL (cache misses), by result")
        .tag("result", result)
        .register(metrics);
  }

  /** The event, or a failed future with 404 {@code event_not_found}. */
  /** The event if this node knows it, else null (no query). */
  public Event cached(long id) {
    return events.get(id);
  }

  public Future<Event> get(long id) {
    Event cached = events.get(id);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    if (id < 1 || knownMissing(id)) {
      return Future.failedFuture(notFound(id));
    }
    Future<Event> shared = lookups.get(id);
    if (shared == null) {
      Promise<Event> mine = Promise.promise();
      shared = lookups.putIfAbsent(id, mine.future());
      if (shared == null) {
        shared = mine.future();
        lookup(id, mine);
      }
    }
    return SharedFutures.onCallerContext(shared);
  }

  /** Makes a new event visible at once, even where its id was just looked up in vain. */
  public void remember(Event e) {
    events.putIfAbsent(e.id(), e);
    synchronized (misses) {
      misses.remove(e.id());
    }
  }

  /** A newer revision of an event's sale settings (after a PATCH, or read back from PostgreSQL). */
  public void update(Event fresh) {
    events.merge(fresh.id(), fresh,
        (old, f) -> f.sale().revision() > old.sale().revision() ? old.withSale(f.sale()) : old);
  }

  private void lookup(long id, Promise<Event> result) {
    repository.find(id).onComplete(ar -> {
      // Cache first, then leave the single flight: a caller arriving in between finds one or the other.
      if (ar.succeeded() && ar.result() != null) {
        found.increment();
        events.putIfAbsent(id, ar.result());
      } else if (ar.succeeded()) {
        missing.increment();
        synchronized (misses) {
          misses.put(id, System.nanoTime() + MISS_TTL_MS * 1_000_000);
        }
      } else {
        failed.increment(); // not cached: the next request asks again
      }
      lookups.remove(id, result.future());
      if (ar.failed()) {
        result.fail(ar.cause());
      } else if (ar.result() == null) {
        result.fail(notFound(id));
      } else {
        result.complete(ar.result());
      }
    });
  }

  private boolean knownMissing(long id) {
    synchronized (misses) {
      Long expires = misses.get(id);
      if (expires == null) {
        return false;
      }
      if (expires - System.nanoTime() > 0) {
        return true;
      }
      misses.remove(id);
      return false;
    }
  }

  private static Rejection notFound(long id) {
    return Rejection.of(Outcome.EVENT_NOT_FOUND, "no event with id " + id);
  }

  /** Events this node knows about (the sweeper and the reconciler walk them). */
  public Iterable<Event> known() {
    return events.values();
  }

  /**
   * Loads the events created or changed (PATCH) since the newest change seen, less {@link #CHANGE_MARGIN} (a
   * transaction stamps its start, and may commit a little after a later one): what a reconcile pass needs to
   * learn other nodes' events, without reloading the catalog. The first call loads everything.
   */
  public Future<Void> loadChanged() {
    java.time.OffsetDateTime since = newestChange;
    if (since == null) {
      return repository.changedSince(java.time.OffsetDateTime.parse("1970-01-01T00:00:00Z")).map(this::apply);
    }
    return repository.changedSince(since.minus(CHANGE_MARGIN)).map(this::apply);
  }

  private Void apply(EventRepository.Changed changed) {
    changed.events().forEach(e -> {
      remember(e);
      update(e);
    });
    if (newestChange == null || changed.newest().isAfter(newestChange)) {
      newestChange = changed.newest();
    }
    return null;
  }

  public Future<Void> loadAll() {
    return repository.all().map(list -> {
      list.forEach(e -> {
        remember(e);
        update(e);
      });
      return null;
    });
  }

  /** An event's layout JSON, plain and gzipped, each encoded once per node. */
  public record Layout(Buffer json, Buffer gzip) {
  }

  /**
   * The layout, encoded and compressed once per event and node on a worker thread (100,000 seats are about
   * 7 MB of JSON: too much work for an event loop, and far too much to compress again for every download).
   */
  public Future<Layout> layout(Event e, Vertx vertx) {
    Future<Layout> shared = layouts.computeIfAbsent(e.id(), id -> vertx.executeBlocking(() -> {
      Buffer json = e.layoutJson();
      return new Layout(json, gzip(json));
    }, false));
    shared.onFailure(err -> layouts.remove(e.id(), shared));
    return SharedFutures.onCallerContext(shared);
  }

  private static Buffer gzip(Buffer json) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, json.length() / 8));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 65_536) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write(json.getBytes());
    }
    return Buffer.buffer(out.toByteArray());
  }

  public EventRepository repository() {
    return repository;
  }
}
