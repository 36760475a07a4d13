package dev.ticketrush.web;

import io.netty.util.NetUtil;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The client address a per-IP limit applies to: the socket's peer, or, behind one trusted proxy, the rightmost
 * {@code X-Forwarded-For} entry. That entry is the one the proxy appended (the address it saw); every entry to
 * its left came from the client and can be anything it likes, so taking the leftmost (as Vert.x's
 * {@code AllowForwardHeaders.X_FORWARD} does) would let each request pick its own rate-limit bucket.
 */
public final class ClientIp {
  private static final String KEY = "clientIp";

  private ClientIp() {
  }

  public static String of(RoutingContext ctx) {
    String forwarded = ctx.get(KEY);
    return forwarded != null ? forwarded : peer(ctx);
  }

  /** Installed only with {@code TICKETRUSH_TRUST_FORWARDED=true}: notes the proxy's view of the client. */
  static Handler<RoutingContext> behindOneTrustedProxy() {
    return ctx -> {
      String ip = rightmost(ctx.request().headers().getAll("X-Forwarded-For"));
      if (ip != null) {
        ctx.put(KEY, ip);
      }
      ctx.next();
    };
  }

  /**
   * The last entry of the last header (a proxy appends to the list, and several header lines form one list), as a
   * plain IP address; null when absent or not an IP address, and the socket's peer is used instead.
   */
  static String rightmost(List<String> headerValues) {
    if (headerValues == null || headerValues.isEmpty()) {
      return null;
    }
    String last = headerValues.get(headerValues.size() - 1);
    String entry = last.substring(last.lastIndexOf(',') + 1).trim();
    if (entry.startsWith("[") && entry.indexOf(']') > 0) {
      entry = entry.substring(1, entry.indexOf(']')); // [v6]:port
    } else if (entry.indexOf(':') > 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
      entry = entry.substring(0, entry.indexOf(':')); // v4:port
    }
    return NetUtil.isValidIpV4Address(entry) || NetUtil.isValidIpV6Address(entry) ? entry : null;
  }

  private static String peer(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }
}
