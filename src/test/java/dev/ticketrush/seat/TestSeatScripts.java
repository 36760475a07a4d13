package dev.ticketrush.seat;

import dev.ticketrush.infra.RedisLink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link SeatScripts} for script tests: "PostgreSQL's" tickets and sale rules are whatever the test says at that
 * moment.
 */
final class TestSeatScripts {
  private TestSeatScripts() {
  }

  /** Tickets of no known buyer; an open sale without a cap. */
  static SeatScripts on(RedisLink redis, Supplier<List<Integer>> soldInDb) {
    return withBuyers(redis, () -> soldInDb.get().stream().map(s -> new SoldSeats.Sold(s, "")).toList(), () -> SaleRules.OPEN);
  }

  static SeatScripts withBuyers(RedisLink redis, Supplier<List<SoldSeats.Sold>> ticketsInDb, Supplier<SaleRules> rulesInDb) {
    return withCodes(redis, ticketsInDb, rulesInDb, new CodesInMemory());
  }

  /** Access codes as "PostgreSQL" has them: a list the test reads, and the bindings the scripts write down. */
  static final class CodesInMemory implements AccessCodeStore {
    final List<Stored> codes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Future<List<Stored>> codes(long eventId) {
      return Future.succeededFuture(List.copyOf(codes));
    }

    @Override
    public Future<Void> bound(long eventId, String hash, String user) {
      codes.replaceAll(c -> c.hash().equals(hash) && c.boundTo() == null ? new Stored(hash, c.allocation(), user) : c);
      return Future.succeededFuture();
    }
  }

  static SeatScripts withCodes(RedisLink redis, Supplier<List<SoldSeats.Sold>> ticketsInDb, Supplier<SaleRules> rulesInDb,
                               AccessCodeStore codes) {
    return new SeatScripts(redis, 1000, new SoldSeats() {
      @Override
      public Future<List<Sold>> soldSeats(long eventId) {
        return Future.succeededFuture(List.copyOf(ticketsInDb.get()));
      }

      /** The script tests' "PostgreSQL" keeps no void tickets. */
      @Override
      public Future<List<Integer>> voidedSeats(long eventId, int limit) {
        return Future.succeededFuture(List.of());
      }

      @Override
      public Future<Map<Long, Long>> soldCounts(List<Long> eventIds) {
        return Future.succeededFuture(Map.of());
      }
    }, id -> Future.succeededFuture(rulesInDb.get()), codes, new SimpleMeterRegistry());
  }
}
