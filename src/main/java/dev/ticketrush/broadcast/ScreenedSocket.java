package dev.ticketrush.broadcast;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * A bridge socket as the event-bus bridge sees it, with what clients can do wrong taken out of its way: vertx-web's
 * bridge logs an ERROR for every frame of an unknown type and for every socket that drops without a close frame,
 * so any client could flood the log. Here such frames are answered with an error frame and such drops end the
 * socket quietly; each is counted ({@code ticketrush_bridge_refused_total{reason}}) and logged once per socket at
 * DEBUG. Everything else goes straight through.
 */
final class ScreenedSocket implements SockJSSocket {
  private static final Logger log = LoggerFactory.getLogger(ScreenedSocket.class);
  private static final Set<String> FRAME_TYPES = Set.of("ping", "send", "publish", "register", "unregister");

  private final SockJSSocket socket;
  private final RealtimeMetrics metrics;
  private boolean logged;

  ScreenedSocket(SockJSSocket socket, RealtimeMetrics metrics) {
    this.socket = socket;
    this.metrics = metrics;
  }

  /** A client mistake: counted, logged once for this socket. */
  void refused(String reason, String detail) {
    metrics.bridgeRefused(reason);
    if (!logged && log.isDebugEnabled()) {
      logged = true;
      log.debug("bridge socket from {}: {} ({}); further ones on this socket are only counted", remoteAddress(), reason,
          detail);
    }
  }

  @Override
  public SockJSSocket handler(Handler<Buffer> handler) {
    socket.handler(handler == null ? null : data -> {
      String type = frameType(data);
      if (type == null || FRAME_TYPES.contains(type)) {
        handler.handle(data); // the bridge answers broken JSON and a missing type itself, without logging
      } else {
        refused("unknown_frame", "type " + (type.length() > 32 ? type.substring(0, 32) + "…" : type));
        socket.write(new JsonObject().put("type", "err").put("body", "invalid_type").toBuffer());
      }
    });
    return this;
  }

  private static String frameType(Buffer data) {
    try {
      return new JsonObject(data).getValue("type") instanceof String type ? type : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  @Override
  public SockJSSocket exceptionHandler(Handler<Throwable> handler) {
    // A transport error (most often a client gone without a close frame) also ends the session, and the bridge
    // cleans up in its close handler; its exception handler would only add an ERROR line.
    socket.exceptionHandler(err -> refused("socket_error", String.valueOf(err)));
    return this;
  }

  @Override
  public SockJSSocket pause() {
    socket.pause();
    return this;
  }

  @Override
  public SockJSSocket resume() {
    socket.resume();
    return this;
  }

  @Override
  public SockJSSocket fetch(long amount) {
    socket.fetch(amount);
    return this;
  }

  @Override
  public SockJSSocket endHandler(Handler<Void> endHandler) {
    socket.endHandler(endHandler);
    return this;
  }

  @Override
  public SockJSSocket closeHandler(Handler<Void> closeHandler) {
    socket.closeHandler(closeHandler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return socket.write(data);
  }

  @Override
  public SockJSSocket setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public SockJSSocket drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
    return this;
  }

  @Override
  public String writeHandlerID() {
    return socket.writeHandlerID();
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public void close(int statusCode, String reason) {
    socket.close(statusCode, reason);
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  @Override
  public MultiMap headers() {
    return socket.headers();
  }

  @Override
  public String uri() {
    return socket.uri();
  }

  @Override
  public RoutingContext routingContext() {
    return socket.routingContext();
  }

  @Override
  public Session webSession() {
    return socket.webSession();
  }

  @Override
  public User webUser() {
    return socket.webUser();
  }
}
