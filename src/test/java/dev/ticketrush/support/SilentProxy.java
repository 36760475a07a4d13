package dev.ticketrush.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of Redis or PostgreSQL that can make its host die silently, the way a power loss or a
 * partition does: {@link #silence} stops forwarding on every open connection without closing it (no FIN, no
 * RST; bytes the client sends are acknowledged by the kernel here and dropped, nothing ever comes back). Those
 * connections stay black holes until the proxy closes. While silent, new connections are either forwarded
 * (a host whose old sockets are gone but that answers again, as after a failover to the same address) or
 * closed at once (a host that is not back yet); {@link #answer} forwards new connections again.
 */
public final class SilentProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final String targetHost;
  private final int targetPort;
  private final Set<Link> open = ConcurrentHashMap.newKeySet();
  private volatile boolean refuseNew;

  /** One proxied connection; {@code silent} once its host died. */
  private static final class Link {
    final NetSocket downstream;
    final NetSocket upstream;
    volatile boolean silent;

    Link(NetSocket downstream, NetSocket upstream) {
      this.downstream = downstream;
      this.upstream = upstream;
    }
  }

  private SilentProxy(String targetHost, int targetPort) throws Exception {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    NetClient client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(downstream -> {
      if (refuseNew) {
        downstream.close();
        return;
      }
      downstream.pause();
      client.connect(targetPort, targetHost).onComplete(ar -> {
        if (ar.failed()) {
          downstream.close();
          return;
        }
        pipe(new Link(downstream, ar.result()));
        downstream.resume();
      });
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A proxy to the server of {@code url} ({@code redis://host:port}, {@code postgresql://u:p@host:port/db}). */
  public static SilentProxy inFrontOf(String url) throws Exception {
    URI uri = URI.create(url.replaceFirst("^[a-z]+:", "http:"));
    return new SilentProxy(uri.getHost(), uri.getPort());
  }

  /** A proxy to {@code 127.0.0.1:port}. */
  public static SilentProxy toLocalPort(int port) {
    try {
      return new SilentProxy("127.0.0.1", port);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The port this proxy listens on (127.0.0.1). */
  public int port() {
    return server.actualPort();
  }

  /** The same URL, through this proxy. */
  public String url(String url) {
    return url.replace(targetHost + ":" + targetPort, "127.0.0.1:" + server.actualPort());
  }

  /**
   * The host dies silently: every open connection stops forwarding for good, without closing. With
   * {@code newConnectionsToo} new connections are closed at once until {@link #answer}, else they are forwarded.
   */
  public void silence(boolean newConnectionsToo) {
    refuseNew = newConnectionsToo;
    open.forEach(l -> l.silent = true);
  }

  /** The host answers again: new connections are forwarded (silenced ones stay silent). */
  public void answer() {
    refuseNew = false;
  }

  /** A loud cut: every open connection is closed (FIN) at once, as when the server process dies. */
  public void cut() {
    open.forEach(l -> {
      l.downstream.close();
      l.upstream.close();
    });
  }

  /** Open connections that still forward. */
  public long forwarding() {
    return open.stream().filter(l -> !l.silent).count();
  }

  private void pipe(Link l) {
    open.add(l);
    l.downstream.handler(buf -> {
      if (!l.silent) {
        l.upstream.write(buf);
      }
    });
    l.upstream.handler(buf -> {
      if (!l.silent) {
        l.downstream.write(buf);
      }
    });
    // A silent link never passes a close on: the far side must find out by itself.
    l.downstream.closeHandler(v -> {
      open.remove(l);
      l.upstream.close();
    });
    l.upstream.closeHandler(v -> {
      if (!l.silent) {
        open.remove(l);
        l.downstream.close();
      }
    });
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
