package dev.ticketrush.infra;

/** Every stable problem {@code code} the API answers with, with its HTTP status: the one table. */
public enum ErrorCode {
  INVALID_REQUEST(400, "Invalid request"),
  IDEMPOTENCY_KEY_REQUIRED(400, "Idempotency-Key header required"),
  UNAUTHORIZED(401, "Unauthorized"),
  PAYMENT_DECLINED(402, "Payment declined"),
  FORBIDDEN(403, "Forbidden"),
  ADMISSION_REQUIRED(403, "Admission required"),
  EVENT_NOT_FOUND(404, "Event not found"),
  HOLD_NOT_FOUND(404, "Hold not found"),
  ORDER_NOT_FOUND(404, "Order not found"),
  QUEUE_NOT_JOINED(404, "Not in the queue"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  SEAT_UNAVAILABLE(409, "Seat unavailable"),
  HOLD_LIMIT(409, "Hold limit reached"),
  HOLD_MISSING(409, "Hold missing"),
  SEAT_SOLD(409, "Seat sold"),
  REQUEST_IN_PROGRESS(409, "Request in progress"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),
  RATE_LIMITED(429, "Too many requests"),
  SERVICE_UNAVAILABLE(503, "Service unavailable"),
  INTERNAL(500, "Internal error");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String code() {
    return name().toLowerCase();
  }
}
