package dev.ticketrush.seat;

import dev.ticketrush.infra.RedisLink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@link SeatScripts} for script tests: "PostgreSQL's" sold seats are whatever the test says at that moment. */
final class TestSeatScripts {
  private TestSeatScripts() {
  }

  static SeatScripts on(RedisLink redis, Supplier<List<Integer>> soldInDb) {
    return new SeatScripts(redis, 1000, new SoldSeats() {
      @Override
      public Future<List<Integer>> soldSeats(long eventId) {
        return Future.succeededFuture(List.copyOf(soldInDb.get()));
      }

      @Override
      public Future<Map<Long, Long>> soldCounts() {
        return Future.succeededFuture(Map.of());
      }
    }, new SimpleMeterRegistry());
  }
}
