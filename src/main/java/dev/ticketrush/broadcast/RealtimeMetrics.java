package dev.ticketrush.broadcast;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real-time meters of one node, scraped as {@code ticketrush_ws_clients}, {@code ticketrush_propagation_seconds}
 * (with histogram buckets) and {@code ticketrush_ws_dropped_total}. The HTTP verticle runs one instance per event loop, so the meters are shared
 * per registry (one registry per node; tests run several nodes in one JVM).
 */
final class RealtimeMetrics {
  private static final Map<MeterRegistry, RealtimeMetrics> BY_REGISTRY = Collections.synchronizedMap(new WeakHashMap<>());

  private final AtomicInteger clients = new AtomicInteger();
  private final Timer propagation;
  private final Counter dropped;
  private final MeterRegistry registry;
  private final Map<String, Counter> bridgeRefusals = new java.util.concurrent.ConcurrentHashMap<>();

  private RealtimeMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("ticketrush.ws.clients", clients, AtomicInteger::get)
        .description("Open WebSocket and SockJS bridge connections on this node")
        .strongReference(true)
        .register(registry);
    propagation = Timer.builder("ticketrush.propagation")
        .description("From a seat change in Redis (its log time) until its patch is written to this node's sockets")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    dropped = Counter.builder("ticketrush.ws.dropped")
        .description("WebSocket and bridge clients closed because they could not keep up")
        .register(registry);
  }

  static RealtimeMetrics of(MeterRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, RealtimeMetrics::new);
  }

  void clientOpened() {
    clients.incrementAndGet();
  }

  void clientClosed() {
    clients.decrementAndGet();
  }

  void slowClientDropped() {
    dropped.increment();
  }

  /**
   * A bridge client's mistake, as {@code ticketrush_bridge_refused_total{reason}}: {@code socket_error} (gone without
   * a close frame), {@code unknown_frame}, {@code already_registered}, {@code too_many_handlers},
   * {@code unknown_address}.
   */
  void bridgeRefused(String reason) {
    bridgeRefusals.computeIfAbsent(reason, r -> Counter.builder("ticketrush.bridge.refused")
        .description("Bridge frames refused and bridge sockets that failed, by reason")
        .tag("reason", r)
        .register(registry)).increment();
  }

  /** Redis' clock against ours: a skewed clock must not record negative times. */
  void delivered(long[] changedAtMs, long nowMs) {
    for (long at : changedAtMs) {
      if (at > 0) {
        propagation.record(Math.max(0, nowMs - at), TimeUnit.MILLISECONDS);
      }
    }
  }
}
