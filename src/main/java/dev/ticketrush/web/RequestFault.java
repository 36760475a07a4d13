package dev.ticketrush.web;

/**
 * Requests the HTTP layer refuses before any feature decides anything: no such route, a method or media type
 * the route does not take, a request larger than the server reads. Not domain outcomes (those are
 * {@code outcome.Outcome}); {@link OutcomeTable} answers both.
 */
public enum RequestFault {
  NOT_FOUND,
  METHOD_NOT_ALLOWED,
  PAYLOAD_TOO_LARGE,
  /** The request line (path and query) is longer than the server reads. */
  URI_TOO_LONG,
  /** The request headers are larger than the server reads. */
  HEADERS_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  /** The request's headers and body did not arrive within the request deadline. */
  REQUEST_TIMEOUT,
  /** A WebSocket handshake in a protocol version the server does not speak (only 13). */
  UPGRADE_REQUIRED;

  /** This fault with a detail for the client, to throw or fail a future with; {@link ProblemHandler} answers it. */
  public Refused refuse(String detail) {
    return new Refused(this, detail);
  }

  /** A request refused for a {@link RequestFault}. No stack trace: it is an answer, not a crash. */
  public static final class Refused extends RuntimeException {
    private final RequestFault fault;

    private Refused(RequestFault fault, String detail) {
      super(detail, null, false, false);
      this.fault = fault;
    }

    public RequestFault fault() {
      return fault;
    }
  }
}
