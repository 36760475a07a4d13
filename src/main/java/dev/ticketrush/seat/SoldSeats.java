package dev.ticketrush.seat;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/** PostgreSQL's sold seats: the truth the Redis mirror is rebuilt from. The order feature provides it. */
public interface SoldSeats {
  Future<List<Integer>> soldSeats(long eventId);

  /** event id → number of tickets, for a cheap "does Redis agree?" check. */
  Future<Map<Long, Long>> soldCounts();
}
