package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;

/** Sums one Prometheus metric (every label set) as a client scraping /metrics sees it. */
final class MetricsScrape {
  private MetricsScrape() {
  }

  static double sum(Api api, String name) {
    return api.get("/metrics", null).body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
