package dev.ticketrush.order;

import dev.ticketrush.seat.SoldSeats;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** Sold seats according to PostgreSQL, the truth the Redis mirror is rebuilt from. */
public final class TicketRepository implements SoldSeats {
  private static final String SOLD = "SELECT t.seat_id, t.holder FROM tickets t "
      + "WHERE t.event_id = $1 AND t.status <> 'VOID' ORDER BY t.seat_id";
  private static final String VOIDED = "SELECT DISTINCT v.seat_id FROM tickets v WHERE v.event_id = $1 AND v.status = 'VOID' "
      + "AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.event_id = $1 AND t.seat_id = v.seat_id AND t.status <> 'VOID') "
      + "ORDER BY v.seat_id LIMIT $2";
  private static final String COUNTS = "SELECT event_id, count(*) AS n FROM tickets WHERE event_id = ANY($1) "
      + "AND status <> 'VOID' GROUP BY event_id";

  private final Pool pool;

  public TicketRepository(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<Sold>> soldSeats(long eventId) {
    return pool.preparedQuery(SOLD).execute(Tuple.of(eventId)).map(rows -> {
      List<Sold> seats = new ArrayList<>(rows.size());
      rows.forEach(r -> seats.add(new Sold(r.getInteger(0), r.getString(1))));
      return seats;
    });
  }

  @Override
  public Future<List<Integer>> voidedSeats(long eventId, int limit) {
    return pool.preparedQuery(VOIDED).execute(Tuple.of(eventId, limit)).map(rows -> {
      List<Integer> seats = new ArrayList<>(rows.size());
      rows.forEach(r -> seats.add(r.getInteger(0)));
      return seats;
    });
  }

  @Override
  public Future<java.util.Map<Long, Long>> soldCounts(List<Long> eventIds) {
    return pool.preparedQuery(COUNTS).execute(Tuple.of(eventIds.toArray(new Long[0]))).map(rows -> {
      java.util.Map<Long, Long> counts = new java.util.HashMap<>();
      rows.forEach(r -> counts.put(r.getLong(0), r.getLong(1)));
      return counts;
    });
  }
}
