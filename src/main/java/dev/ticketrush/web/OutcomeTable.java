package dev.ticketrush.web;

import dev.ticketrush.outcome.Outcome;

/**
 * The one table from outcome to HTTP: status, the stable problem {@code code} clients switch on, and the problem
 * title, for every domain {@link Outcome} and every {@link RequestFault} of the HTTP layer. Nothing else in the
 * service decides a status. Both are switch expressions without {@code default}: an outcome without a row does
 * not compile. Several outcomes may share a code (a deliberate choice made here); metrics keep the outcome's
 * own name ({@link Outcome#label()}).
 */
public final class OutcomeTable {
  /** How one outcome is answered. */
  public record Answer(int status, String code, String title) {
  }

  private OutcomeTable() {
  }

  /** The answer for a domain outcome. */
  public static Answer of(Outcome outcome) {
    return switch (outcome) {
      // Seats
      case HELD -> new Answer(201, "held", "Held");
      case RELEASED -> new Answer(204, "released", "Released");
      case PINNED -> new Answer(200, "pinned", "Pinned");
      case SEAT_UNAVAILABLE -> new Answer(409, "seat_unavailable", "Seat unavailable");
      case SEATS_NOT_AVAILABLE -> new Answer(409, "seats_not_available", "Seats not available");
      case HOLD_LIMIT -> new Answer(409, "hold_limit", "Hold limit reached");
      case TICKET_LIMIT -> new Answer(409, "ticket_limit", "Ticket limit reached");
      case SALE_NOT_OPEN -> new Answer(409, "sale_not_open", "Sale not open yet");
      case SALE_PAUSED -> new Answer(409, "sale_paused", "Sale paused");
      case SALE_CLOSED -> new Answer(409, "sale_closed", "Sale closed");
      case HOLD_NOT_FOUND -> new Answer(404, "hold_not_found", "Hold not found");
      case SEAT_BEING_PAID -> new Answer(409, "request_in_progress", "Request in progress");
      case HOLD_MISSING -> new Answer(409, "hold_missing", "Hold missing");
      case SEAT_PAID_BY_OTHER_ORDER -> new Answer(409, "hold_missing", "Hold missing");
      case SEAT_SOLD -> new Answer(409, "seat_sold", "Seat sold");
      case SEAT_RESERVED -> new Answer(409, "seat_reserved", "Seat reserved for a presale");
      case ACCESS_CODE_INVALID -> new Answer(403, "access_code_invalid", "Access code invalid");

      // Purchases
      case ORDER_CONFIRMED -> new Answer(201, "order_confirmed", "Order confirmed");
      case PAYMENT_DECLINED -> new Answer(402, "payment_declined", "Payment declined");
      case PAYMENT_FAILED -> new Answer(402, "payment_failed", "Payment failed");
      case ORDER_NOT_FOUND -> new Answer(404, "order_not_found", "Order not found");
      case TICKET_INVALID -> new Answer(400, "ticket_invalid", "Ticket code invalid");
      case ALREADY_CHECKED_IN -> new Answer(409, "already_checked_in", "Ticket already checked in");
      case TICKET_VOID -> new Answer(409, "ticket_void", "Ticket void");
      case TICKET_USED -> new Answer(409, "ticket_used", "Ticket already used");
      case NOT_REFUNDABLE -> new Answer(409, "not_refundable", "Order no longer refundable");
      case ORDER_CANCELLED -> new Answer(200, "order_cancelled", "Order cancelled");
      case ORDER_CANCELLING -> new Answer(202, "order_cancelling", "Order being cancelled");
      case IDEMPOTENCY_KEY_REQUIRED -> new Answer(400, "idempotency_key_required", "Idempotency-Key header required");
      case IDEMPOTENCY_KEY_REUSED -> new Answer(422, "idempotency_key_reused", "Idempotency key reused");
      case REQUEST_IN_PROGRESS -> new Answer(409, "request_in_progress", "Request in progress");

      // Events, waiting room, limits
      case EVENT_NOT_FOUND -> new Answer(404, "event_not_found", "Event not found");
      case ADMISSION_REQUIRED -> new Answer(403, "admission_required", "Admission required");
      case QUEUE_NOT_JOINED -> new Answer(404, "queue_not_joined", "Not in the queue");
      case CHALLENGE_FAILED -> new Answer(403, "challenge_failed", "Challenge failed");
      case RATE_LIMITED -> new Answer(429, "rate_limited", "Too many requests");

      // Requests and callers
      case INVALID_REQUEST -> new Answer(400, "invalid_request", "Invalid request");
      case UNAUTHORIZED -> new Answer(401, "unauthorized", "Unauthorized");
      case FORBIDDEN -> new Answer(403, "forbidden", "Forbidden");

      // Faults: temporary, never the caller's mistake
      case BACKEND_UNAVAILABLE -> new Answer(503, "service_unavailable", "Service unavailable");
      case SEAT_SERVICE_UNAVAILABLE -> new Answer(503, "service_unavailable", "Service unavailable");
      case PAYMENT_UNAVAILABLE -> new Answer(503, "service_unavailable", "Service unavailable");
      case ORDER_NOT_STORED -> new Answer(503, "service_unavailable", "Service unavailable");
      case WATCHERS_FULL -> new Answer(503, "watchers_full", "Too many watchers on this node");
      case INTERNAL -> new Answer(500, "internal", "Internal error");
    };
  }

  /** The answer for a request the HTTP layer refuses. */
  public static Answer of(RequestFault fault) {
    return switch (fault) {
      case NOT_FOUND -> new Answer(404, "not_found", "Not found");
      case METHOD_NOT_ALLOWED -> new Answer(405, "method_not_allowed", "Method not allowed");
      case PAYLOAD_TOO_LARGE -> new Answer(413, "payload_too_large", "Payload too large");
      case URI_TOO_LONG -> new Answer(414, "uri_too_long", "URI too long");
      case HEADERS_TOO_LARGE -> new Answer(431, "headers_too_large", "Request headers too large");
      case UNSUPPORTED_MEDIA_TYPE -> new Answer(415, "unsupported_media_type", "Unsupported media type");
      case REQUEST_TIMEOUT -> new Answer(408, "request_timeout", "Request timeout");
      case UPGRADE_REQUIRED -> new Answer(426, "upgrade_required", "Upgrade required");
    };
  }

  public static int status(Outcome outcome) {
    return of(outcome).status();
  }

  static boolean maps(Outcome outcome) {
    return of(outcome) != null;
  }
}
