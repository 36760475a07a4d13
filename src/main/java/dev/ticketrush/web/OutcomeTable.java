package dev.ticketrush.web;

import dev.ticketrush.outcome.Outcome;

import java.util.EnumMap;
import java.util.Map;

/**
 * The one table from domain outcome to HTTP: status, the stable problem {@code code} clients switch on, and
 * the problem title. Nothing else in the service decides a status ({@code OutcomeTableTest} checks that every
 * outcome has a row).
 */
public final class OutcomeTable {
  /** How one outcome is answered. */
  public record Answer(int status, String code, String title) {
  }

  private static final Map<Outcome, Answer> TABLE = new EnumMap<>(Outcome.class);

  static {
    row(Outcome.HELD, 201, "held", "Held");
    row(Outcome.RELEASED, 204, "released", "Released");
    row(Outcome.PINNED, 200, "pinned", "Pinned");
    row(Outcome.SEAT_UNAVAILABLE, 409, "seat_unavailable", "Seat unavailable");
    row(Outcome.SEATS_NOT_AVAILABLE, 409, "seats_not_available", "Seats not available");
    row(Outcome.HOLD_LIMIT, 409, "hold_limit", "Hold limit reached");
    row(Outcome.TICKET_LIMIT, 409, "ticket_limit", "Ticket limit reached");
    row(Outcome.SALE_NOT_OPEN, 409, "sale_not_open", "Sale not open yet");
    row(Outcome.SALE_PAUSED, 409, "sale_paused", "Sale paused");
    row(Outcome.SALE_CLOSED, 409, "sale_closed", "Sale closed");
    row(Outcome.HOLD_NOT_FOUND, 404, "hold_not_found", "Hold not found");
    row(Outcome.SEAT_BEING_PAID, 409, "request_in_progress", "Request in progress");
    row(Outcome.HOLD_MISSING, 409, "hold_missing", "Hold missing");
    row(Outcome.SEAT_PAID_BY_OTHER_ORDER, 409, "hold_missing", "Hold missing");
    row(Outcome.SEAT_SOLD, 409, "seat_sold", "Seat sold");

    row(Outcome.ORDER_CONFIRMED, 201, "order_confirmed", "Order confirmed");
    row(Outcome.PAYMENT_DECLINED, 402, "payment_declined", "Payment declined");
    row(Outcome.PAYMENT_FAILED, 402, "payment_failed", "Payment failed");
    row(Outcome.ORDER_NOT_FOUND, 404, "order_not_found", "Order not found");
    row(Outcome.IDEMPOTENCY_KEY_REQUIRED, 400, "idempotency_key_required", "Idempotency-Key header required");
    row(Outcome.IDEMPOTENCY_KEY_REUSED, 422, "idempotency_key_reused", "Idempotency key reused");
    row(Outcome.REQUEST_IN_PROGRESS, 409, "request_in_progress", "Request in progress");

    row(Outcome.EVENT_NOT_FOUND, 404, "event_not_found", "Event not found");
    row(Outcome.ADMISSION_REQUIRED, 403, "admission_required", "Admission required");
    row(Outcome.QUEUE_NOT_JOINED, 404, "queue_not_joined", "Not in the queue");
    row(Outcome.RATE_LIMITED, 429, "rate_limited", "Too many requests");

    row(Outcome.INVALID_REQUEST, 400, "invalid_request", "Invalid request");
    row(Outcome.UNAUTHORIZED, 401, "unauthorized", "Unauthorized");
    row(Outcome.FORBIDDEN, 403, "forbidden", "Forbidden");
    row(Outcome.NOT_FOUND, 404, "not_found", "Not found");
    row(Outcome.METHOD_NOT_ALLOWED, 405, "method_not_allowed", "Method not allowed");
    row(Outcome.PAYLOAD_TOO_LARGE, 413, "payload_too_large", "Payload too large");
    row(Outcome.URI_TOO_LONG, 414, "uri_too_long", "URI too long");
    row(Outcome.HEADERS_TOO_LARGE, 431, "headers_too_large", "Request headers too large");
    row(Outcome.UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type", "Unsupported media type");

    row(Outcome.BACKEND_UNAVAILABLE, 503, "service_unavailable", "Service unavailable");
    row(Outcome.SEAT_SERVICE_UNAVAILABLE, 503, "service_unavailable", "Service unavailable");
    row(Outcome.PAYMENT_UNAVAILABLE, 503, "service_unavailable", "Service unavailable");
    row(Outcome.ORDER_NOT_STORED, 503, "service_unavailable", "Service unavailable");
    row(Outcome.WATCHERS_FULL, 503, "watchers_full", "Too many watchers on this node");
    row(Outcome.INTERNAL, 500, "internal", "Internal error");
  }

  private OutcomeTable() {
  }

  private static void row(Outcome outcome, int status, String code, String title) {
    if (TABLE.put(outcome, new Answer(status, code, title)) != null) {
      throw new IllegalStateException("outcome " + outcome + " mapped twice");
    }
  }

  /** The answer for an outcome; every outcome has one. */
  public static Answer of(Outcome outcome) {
    Answer a = TABLE.get(outcome);
    if (a == null) {
      throw new IllegalStateException("outcome " + outcome + " has no row in OutcomeTable");
    }
    return a;
  }

  public static int status(Outcome outcome) {
    return of(outcome).status();
  }

  static boolean maps(Outcome outcome) {
    return TABLE.containsKey(outcome);
  }
}
