package dev.ticketrush.broadcast;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many watchers (seat WebSockets, and bridge sockets that listen to something) one node serves at most,
 * shared by every HTTP verticle instance. Beyond it a WebSocket upgrade answers 503 {@code watchers_full} with
 * {@code Retry-After} and a bridge registration is refused, so a crowd (or one client with many addresses)
 * cannot take the node's memory; the load balancer's other nodes, or a retry, take them.
 */
public final class WatcherLimit {
  private final int max;
  private final AtomicInteger taken = new AtomicInteger();
  private final Counter refusedWebSocket;
  private final Counter refusedBridge;

  public WatcherLimit(int max, MeterRegistry metrics) {
    this.max = max;
    this.refusedWebSocket = refused(metrics, "websocket");
    this.refusedBridge = refused(metrics, "bridge");
  }

  private static Counter refused(MeterRegistry metrics, String via) {
    return Counter.builder("ticketrush.watchers.refused")
        .description("Watchers turned away because the node had the most it serves")
        .tag("via", via)
        .register(metrics);
  }

  /** Takes one place, or says no (and counts the refusal). */
  boolean tryTake(boolean bridge) {
    while (true) {
      int now = taken.get();
      if (now >= max) {
        (bridge ? refusedBridge : refusedWebSocket).increment();
        return false;
      }
      if (taken.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release() {
    taken.decrementAndGet();
  }
}
