package dev.ticketrush.broadcast;

import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SockJS event-bus bridge at {@code /eventbus}: clients may listen on {@code seats.N} (patches) and
 * {@code queue.N} (waiting room) of existing events, and nothing else. Every send or publish from a client is
 * refused, so no client can make another one see a fake patch.
 *
 * <p>A registration on {@code seats.N} counts as a watcher of event N and makes this node tail its log. A socket
 * takes one of the node's watcher places ({@link WatcherLimit}) with its first registration; when none is left,
 * registrations are refused.
 *
 * <p>Slow readers: the bridge itself would write every message to the socket whatever its backlog (and a SockJS
 * session's own write queue does not see what its WebSocket transport buffers). So this class delivers the
 * messages itself and counts the bytes not yet on the wire per socket; a socket more than
 * {@link #MAX_UNSENT_BYTES} behind is closed (it reconnects and reloads the map), instead of buffering without end.
 */
final class EventBusBridge {
  static final String SEATS_PERMITTED = "seats\\.[0-9]+";
  static final String QUEUE_PERMITTED = "queue\\.[0-9]+";
  private static final Pattern SEATS = Pattern.compile("seats\\.([0-9]{1,18})");
  private static final Pattern QUEUE = Pattern.compile("queue\\.([0-9]{1,18})");
  /** vertx-eventbus.js pings every 5 s; three times that silent means the client is gone. */
  static final long PING_TIMEOUT_MS = 30_000;
  static final int TRY_AGAIN_LATER = 1013;
  static final int MAX_HANDLERS_PER_SOCKET = 16;
  /** Like a seat WebSocket's write queue: hundreds of patches of headroom, a bounded cost per socket. */
  static final int MAX_UNSENT_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final EventCatalog events;
  private final RealtimeMetrics metrics;
  private final LocalWatchers watchers;
  private final RedisLink redis;
  private final WatcherLimit limit;
  /** Open bridge sockets: the events each one watches, its watcher place, its unsent bytes. */
  private final Map<SockJSSocket, Client> sockets = new HashMap<>();

  private static final class Client {
    final Set<Long> watched = new HashSet<>();
    /** Addresses registered or being registered: a second registration of one is refused here, not logged. */
    final Set<String> addresses = new HashSet<>();
    boolean placed;
    long unsent;
    boolean dropped;
  }

  EventBusBridge(Vertx vertx, EventCatalog events, RedisLink redis, RealtimeMetrics metrics, LocalWatchers watchers,
                 WatcherLimit limit) {
    this.redis = redis;
    this.limit = limit;
    this.vertx = vertx;
    this.events = events;
    this.metrics = metrics;
    this.watchers = watchers;
  }

  Router router() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(SEATS_PERMITTED))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(QUEUE_PERMITTED))
        .setPingTimeout(PING_TIMEOUT_MS)
        // One more than ours: register() refuses first, so the bridge's own refusal (a WARN line per frame) never runs.
        .setMaxHandlersPerSocket(MAX_HANDLERS_PER_SOCKET + 1);
    // The bridge built by hand (SockJSHandler.bridge would build the same) so that it sees every socket through a
    // ScreenedSocket: client mistakes are counted and answered there instead of being logged at ERROR by the bridge.
    EventBusBridgeImpl bridge = new EventBusBridgeImpl(vertx, null, options, this::onEvent);
    // No per-socket event-bus address: nothing on the bus can write to a bridge socket except its registrations.
    return SockJSHandler.create(vertx, new SockJSHandlerOptions().setRegisterWriteHandler(false))
        .socketHandler(socket -> bridge.handle(new ScreenedSocket(socket, metrics)));
  }

  private void onEvent(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    switch (event.type()) {
      case SOCKET_CREATED -> {
        sockets.put(socket, new Client());
        metrics.clientOpened();
        event.complete(true);
      }
      case SOCKET_CLOSED -> {
        Client client = sockets.remove(socket);
        if (client != null) {
          client.watched.forEach(watchers::remove);
          if (client.placed) {
            limit.release();
          }
          metrics.clientClosed();
        }
        event.complete(true);
      }
      case RECEIVE -> deliver(event);
      // Listen-only: refused here even if someone adds an inbound permission later.
      case SEND, PUBLISH -> event.complete(false);
      case REGISTER -> register(event);
      case REGISTERED -> {
        Long eventId = eventId(SEATS, event);
        Client client = sockets.get(socket);
        if (eventId != null && client != null && client.watched.add(eventId)) {
          watchers.add(eventId);
        }
        event.complete(true);
      }
      case UNREGISTER -> {
        Long eventId = eventId(SEATS, event);
        Client client = sockets.get(socket);
        if (client != null) {
          client.addresses.remove(address(event));
        }
        if (eventId != null && client != null && client.watched.remove(eventId)) {
          watchers.remove(eventId);
        }
        event.complete(true);
      }
      case SOCKET_IDLE -> {
        // The bridge's own idle close needs its socket class, not the screened one: close it here instead.
        event.complete(false);
        socket.close();
      }
      default -> event.complete(true);
    }
  }

  /**
   * Only existing events: otherwise any client could make the node tail made-up streams. For seats, the
   * version at registration time tells a new tail where to start, so changes after the registration reach
   * the client even when the tail starts a moment later.
   */
  private void register(BridgeEvent event) {
    Long seats = eventId(SEATS, event);
    Long queue = eventId(QUEUE, event);
    Long eventId = seats != null ? seats : queue;
    Client client = sockets.get(event.socket());
    String address = address(event);
    String refusal = eventId == null ? "unknown_address"
        : client == null ? null
        : client.addresses.contains(address) ? "already_registered"
        : client.addresses.size() >= MAX_HANDLERS_PER_SOCKET ? "too_many_handlers"
        : null;
    if (refusal != null || client == null) {
      if (refusal != null && event.socket() instanceof ScreenedSocket screened) {
        screened.refused(refusal, String.valueOf(address));
      }
      event.complete(false);
      return;
    }
    client.addresses.add(address);
    events.get(eventId).onComplete(known -> {
      if (known.failed() || !place(event.socket())) {
        client.addresses.remove(address);
        event.complete(false);
      } else if (seats == null) {
        event.complete(true);
      } else {
        redis.send(Request.cmd(Command.GET).arg(Keyspace.version(seats))).onComplete(v -> {
          watchers.watch(seats, v.succeeded() && v.result() != null ? v.result().toLong() : null);
          event.complete(true);
        });
      }
    });
  }

  /** The socket's watcher place: taken with its first registration, kept until it closes. */
  private boolean place(SockJSSocket socket) {
    Client client = sockets.get(socket);
    if (client == null) {
      return false; // closed meanwhile
    }
    if (!client.placed) {
      client.placed = limit.tryTake(true);
    }
    return client.placed;
  }

  /**
   * Writes one outbound message (the bridge's own envelope) here instead of in the bridge, so its bytes are
   * counted until they are on the wire, and a socket that stopped reading is closed rather than fed.
   */
  private void deliver(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    Client client = sockets.get(socket);
    event.complete(false); // the bridge writes nothing itself
    if (client == null || client.dropped) {
      return;
    }
    if (client.unsent > MAX_UNSENT_BYTES) {
      client.dropped = true;
      metrics.slowClientDropped();
      socket.close(TRY_AGAIN_LATER, "too slow; reconnect");
      return;
    }
    Buffer frame = Buffer.buffer(event.getRawMessage().encode());
    client.unsent += frame.length();
    socket.write(frame).onComplete(ar -> client.unsent -= frame.length());
  }

  private static String address(BridgeEvent event) {
    return event.getRawMessage() == null || !(event.getRawMessage().getValue("address") instanceof String a) ? null : a;
  }

  private static Long eventId(Pattern pattern, BridgeEvent event) {
    String address = address(event);
    if (address == null) {
      return null;
    }
    Matcher m = pattern.matcher(address);
    return m.matches() ? Long.parseLong(m.group(1)) : null;
  }
}
