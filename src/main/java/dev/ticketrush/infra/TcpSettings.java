package dev.ticketrush.infra;

import io.vertx.core.net.NetClientOptions;

/** How the service's clients of Redis and PostgreSQL use TCP. */
public final class TcpSettings {
  private TcpSettings() {
  }

  /**
   * The socket settings of every Redis and PostgreSQL client: TCP keepalive, so an idle connection to a host
   * that vanished is found (after the kernel's keepalive time; Vert.x 5.0.7 exposes no per-socket idle or
   * interval, so tune {@code net.ipv4.tcp_keepalive_*} on the host), {@code TCP_USER_TIMEOUT}, so unacknowledged
   * writes fail after the deadline (applied by the native epoll/io_uring transports only; on NIO, which this
   * service runs on, the per-command deadline of {@link RedisLink} and {@link DeadlinePool} does the same), and a
   * connect timeout of {@link #connectTimeoutMs}.
   */
  public static NetClientOptions client(long deadlineMs) {
    NetClientOptions o = new NetClientOptions();
    o.setTcpKeepAlive(true);
    o.setTcpUserTimeout((int) Math.min(Integer.MAX_VALUE, deadlineMs));
    o.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMs(deadlineMs)));
    return o;
  }

  /**
   * How long connecting (TCP, and for Redis the handshake) may take: the command deadline, but at least 5 s, so
   * a node whose event loops are busy for a moment (a burst of large snapshots) does not give up on a healthy
   * server; a dead one still fails within seconds.
   */
  public static long connectTimeoutMs(long deadlineMs) {
    return Math.max(deadlineMs, 5_000);
  }

}
