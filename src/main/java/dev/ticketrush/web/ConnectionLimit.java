package dev.ticketrush.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per peer address, for the whole node (every HTTP verticle instance shares one): a
 * connection beyond {@code maxPerIp} from one address is closed as soon as it is accepted, before any request
 * on it runs, and counted in {@code ticketrush_connections_refused_total}. WebSockets and SockJS sessions are
 * HTTP connections first, so they count alike. {@code 0} turns the limit off (behind a proxy every connection
 * comes from the proxy's address: limit there instead).
 */
public final class ConnectionLimit {
  private final int maxPerIp;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();
  private final Counter refused;

  public ConnectionLimit(int maxPerIp, MeterRegistry metrics) {
    this.maxPerIp = maxPerIp;
    this.refused = Counter.builder("ticketrush.connections.refused")
        .description("Connections closed at once because their address already had the most allowed")
        .register(metrics);
  }

  /** For {@code HttpServer.connectionHandler}: runs on the connection's event loop when it is accepted. */
  void accept(HttpConnection conn) {
    SocketAddress peer = conn.remoteAddress();
    if (maxPerIp <= 0 || peer == null) {
      return;
    }
    String ip = peer.hostAddress() != null ? peer.hostAddress() : peer.toString();
    if (open.merge(ip, 1, Integer::sum) > maxPerIp) {
      release(ip);
      refused.increment();
      conn.close();
      return;
    }
    conn.closeHandler(v -> release(ip));
  }

  private void release(String ip) {
    // Drops the entry with its last connection, so made-up addresses cannot grow the map.
    open.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }

  int open(String ip) {
    return open.getOrDefault(ip, 0);
  }
}
