package dev.ticketrush.outcome;

import java.util.Locale;

/**
 * Every way a request can end, as the domain names it: seat decisions, purchase results, request mistakes and
 * backend faults. (What the HTTP layer refuses before any feature decides, such as an unknown route or an
 * oversized body, is {@code web.RequestFault}.) Services return or reject with these; the web layer's {@code OutcomeTable} is the one place
 * that turns each into an HTTP status and a problem {@code code}. Several outcomes may share a code
 * ({@link #SEAT_PAID_BY_OTHER_ORDER} and {@link #HOLD_MISSING} are both {@code hold_missing} to clients).
 *
 * <p>One name from Lua to metrics: a seat script that decides answers with the outcome's {@link #label()} (its
 * name in lower case), {@link #fromScript} reads it back, and metrics are labelled with the same word. Only the
 * problem {@code code} may differ, and only where {@code OutcomeTable} says so.
 */
public enum Outcome {
  // Seats
  HELD,
  RELEASED,
  PINNED,
  /** Some seats are held by someone else or sold: nothing was held. */
  SEAT_UNAVAILABLE,
  /** Best available: no block of that many free seats side by side in one row of the candidate sections. */
  SEATS_NOT_AVAILABLE,
  /** The caller would hold more than the event's maxSeatsPerUser. */
  HOLD_LIMIT,
  /** The caller would own more than the event's maxTicketsPerUser (holds + paying + bought). */
  TICKET_LIMIT,
  /** Holds before the sale's start. */
  SALE_NOT_OPEN,
  /** Holds while an admin paused the sale. */
  SALE_PAUSED,
  /** Holds and new orders after the sale's end. */
  SALE_CLOSED,
  /** Release: the caller holds no such seat. */
  HOLD_NOT_FOUND,
  /** Release: the seat is pinned by a payment that is running right now. */
  SEAT_BEING_PAID,
  /** Order: a seat is not (or no longer) held by the caller. */
  HOLD_MISSING,
  /** Order: another order of the same caller is paying for the seat right now. */
  SEAT_PAID_BY_OTHER_ORDER,
  /** Order: a seat is already sold. */
  SEAT_SOLD,
  /** Presale: a seat reserved for an allocation the caller has no access code of (until its release). */
  SEAT_RESERVED,
  /** Presale: an access code that is unknown or bound to another user. */
  ACCESS_CODE_INVALID,

  // Purchases
  ORDER_CONFIRMED,
  PAYMENT_DECLINED,
  /** The payment could not be completed and nothing was charged (resolved after an unknown outcome). */
  PAYMENT_FAILED,
  ORDER_NOT_FOUND,
  IDEMPOTENCY_KEY_REQUIRED,
  IDEMPOTENCY_KEY_REUSED,
  REQUEST_IN_PROGRESS,

  // Tickets
  /** A ticket code whose signature does not verify, or that names another event. */
  TICKET_INVALID,
  /** Check-in: the ticket was checked in before (the answer says when). */
  ALREADY_CHECKED_IN,
  /** The ticket was voided (its order cancelled, or the ticket transferred). */
  TICKET_VOID,
  /** Cancel or transfer: a ticket of the order was already checked in. */
  TICKET_USED,
  /** Cancel: the owner is past the event's refundableUntil. */
  NOT_REFUNDABLE,
  /** Cancel: the order is CANCELLED, its charge refunded. */
  ORDER_CANCELLED,
  /** Cancel: the order is CANCELLING (tickets void, seats back on sale); the refund is still being completed. */
  ORDER_CANCELLING,

  // Events, waiting room, limits
  EVENT_NOT_FOUND,
  ADMISSION_REQUIRED,
  QUEUE_NOT_JOINED,
  /** Joining a proof-of-work waiting room without a valid, unused, own challenge solution. */
  CHALLENGE_FAILED,
  RATE_LIMITED,

  // Requests and callers
  INVALID_REQUEST,
  UNAUTHORIZED,
  FORBIDDEN,

  // Faults: temporary, never the caller's mistake
  /** Redis or PostgreSQL did not answer. */
  BACKEND_UNAVAILABLE,
  /** The seat service (HoldVerticle) could not run the command. */
  SEAT_SERVICE_UNAVAILABLE,
  /** The payment gateway did not answer; the purchase is not final. */
  PAYMENT_UNAVAILABLE,
  /** The order is not stored yet after the charge (database fault); the completer finishes or refunds it. */
  ORDER_NOT_STORED,
  /** The node serves the most watchers it may (WebSockets, bridge sockets): try again later, or another node. */
  WATCHERS_FULL,
  INTERNAL;

  /** The outcome's own name in lower case: what a seat script answers and what metrics are labelled with. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outcome a script answered with its {@link #label()}; any other word is a bug in the script. */
  public static Outcome fromScript(String answer) {
    try {
      return valueOf(answer.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("a script answered '" + answer + "', which names no outcome");
    }
  }
}
