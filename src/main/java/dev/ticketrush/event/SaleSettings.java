package dev.ticketrush.event;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * The part of an event an admin may change while it is on sale ({@code PATCH /api/events/{id}}): the sale-wide
 * cap per user (null: none), the sale window (either end may be null: open), the pause switch and until when an
 * order's owner may cancel it ({@code refundableUntil}; null: only an admin may; read by the cancellation from
 * PostgreSQL, never from this copy).
 * {@code revision} grows with every change, so a stale copy can never overwrite a newer one in Redis.
 */
public record SaleSettings(Integer maxTicketsPerUser, Instant startsAt, Instant endsAt, boolean onSale, long revision,
                           Instant refundableUntil) {
  public static final SaleSettings OPEN = new SaleSettings(null, null, null, true, 0);

  /** Without a refund window: only an admin may cancel orders. */
  public SaleSettings(Integer maxTicketsPerUser, Instant startsAt, Instant endsAt, boolean onSale, long revision) {
    this(maxTicketsPerUser, startsAt, endsAt, onSale, revision, null);
  }

  void putInto(JsonObject json) {
    json.put("maxTicketsPerUser", maxTicketsPerUser)
        .put("salesStartAt", startsAt == null ? null : startsAt.toString())
        .put("salesEndAt", endsAt == null ? null : endsAt.toString())
        .put("onSale", onSale)
        .put("refundableUntil", refundableUntil == null ? null : refundableUntil.toString());
  }
}
