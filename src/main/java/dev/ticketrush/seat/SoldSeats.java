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

  /** event id → number of tickets of those events, for a cheap "does Redis agree?" check. */
  Future<Map<Long, Long>> soldCounts(List<Long> eventIds);
}
