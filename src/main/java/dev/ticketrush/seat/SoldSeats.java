package dev.ticketrush.seat;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/** PostgreSQL's sold seats: the truth the Redis mirror is rebuilt from. The order feature provides it. */
public interface SoldSeats {
  /** A seat sold, and to whom (what maxTicketsPerUser counts is rebuilt from it). */
  record Sold(int seat, String buyer) {
  }

  /** The event's tickets in seat order. */
  Future<List<Sold>> soldSeats(long eventId);

  /**
   * Seats of the event that have a VOID ticket and no live one (cancelled, not sold again): the seats the
   * reconciler may put back on sale when Redis still shows them sold. At most {@code limit}, in seat order.
   */
  Future<List<Integer>> voidedSeats(long eventId, int limit);

  /** event id → number of tickets of those events, for a cheap "does Redis agree?" check. */
  Future<Map<Long, Long>> soldCounts(List<Long> eventIds);
}
