package dev.ticketrush.seat;

import dev.ticketrush.event.Event;
import dev.ticketrush.event.SaleSettings;

import java.util.List;

/**
 * The sale's rules as the hold scripts read them from Redis (key {@code ev:{id}:sale}): one copy per event that
 * every node decides by, so a PATCH reaches every node's next hold at once, whatever its cached event says.
 * {@code startMs}/{@code endMs}/{@code cap} null: open, open, no cap.
 */
public record SaleRules(long revision, Long startMs, Long endMs, boolean onSale, Integer cap) {
  public static final SaleRules OPEN = new SaleRules(0, null, null, true, null);

  public static SaleRules of(Event e) {
    SaleSettings s = e.sale();
    return new SaleRules(s.revision(), s.startsAt() == null ? null : s.startsAt().toEpochMilli(),
        s.endsAt() == null ? null : s.endsAt().toEpochMilli(), s.onSale(), s.maxTicketsPerUser());
  }

  /** ARGV of write_sale (seat-common.lua). */
  List<Object> args() {
    return List.of(revision, startMs == null ? "" : startMs, endMs == null ? "" : endMs, onSale ? "1" : "0",
        cap == null ? "" : cap);
  }
}
