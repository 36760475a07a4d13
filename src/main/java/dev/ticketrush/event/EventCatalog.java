package dev.ticketrush.event;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-through cache of events, shared by the verticles of one process. Events never change after
 * creation, so a cached copy is never stale and nodes need no invalidation protocol.
 */
public final class EventCatalog {
  private final EventRepository repository;
  private final Map<Long, Event> events = new ConcurrentHashMap<>();
  private final Map<Long, Buffer> layouts = new ConcurrentHashMap<>();

  public EventCatalog(EventRepository repository) {
    this.repository = repository;
  }

  /** The event, or a failed future with 404 {@code event_not_found}. */
  public Future<Event> get(long id) {
    Event cached = events.get(id);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return repository.find(id).compose(e -> {
      if (e == null) {
        return Future.failedFuture(Rejection.of(Outcome.EVENT_NOT_FOUND, "no event with id " + id));
      }
      events.putIfAbsent(id, e);
      return Future.succeededFuture(e);
    });
  }

  public void remember(Event e) {
    events.putIfAbsent(e.id(), e);
  }

  /** Events this node knows about (the sweeper and the reconciler walk them). */
  public Iterable<Event> known() {
    return events.values();
  }

  public Future<Void> loadAll() {
    return repository.all().map(list -> {
      list.forEach(this::remember);
      return null;
    });
  }

  public Buffer layout(Event e) {
    return layouts.computeIfAbsent(e.id(), id -> e.layoutJson());
  }

  public EventRepository repository() {
    return repository;
  }
}
