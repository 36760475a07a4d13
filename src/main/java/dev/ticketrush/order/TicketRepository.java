package dev.ticketrush.order;

import dev.ticketrush.seat.SoldSeats;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** Sold seats according to PostgreSQL, the truth the Redis mirror is rebuilt from. */
public final class TicketRepository implements SoldSeats {
  private static final String SOLD = "SELECT seat_id FROM tickets WHERE event_id = $1 AND status <> 'VOID' ORDER BY seat_id";
  private static final String COUNTS = "SELECT event_id, count(*) AS n FROM tickets WHERE status <> 'VOID' GROUP BY event_id";

  private final Pool pool;

  public TicketRepository(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<Integer>> soldSeats(long eventId) {
    return pool.preparedQuery(SOLD).execute(Tuple.of(eventId)).map(rows -> {
      List<Integer> seats = new ArrayList<>(rows.size());
      rows.forEach(r -> seats.add(r.getInteger(0)));
      return seats;
    });
  }

  @Override
  public Future<java.util.Map<Long, Long>> soldCounts() {
    return pool.query(COUNTS).execute().map(rows -> {
      java.util.Map<Long, Long> counts = new java.util.HashMap<>();
      rows.forEach(r -> counts.put(r.getLong(0), r.getLong(1)));
      return counts;
    });
  }
}
