package dev.ticketrush.web;

import dev.ticketrush.outcome.Rejection;
import io.vertx.core.json.JsonObject;

/** One problem answer, from a domain {@link Rejection} or a {@link RequestFault}: its row, detail and extras. */
record Problem(OutcomeTable.Answer answer, String detail, JsonObject extra, Long retryAfterSeconds) {

  static Problem of(Rejection r) {
    return new Problem(OutcomeTable.of(r.outcome()), r.getMessage(), r.extra(), r.retryAfterSeconds());
  }

  static Problem of(RequestFault.Refused r) {
    return new Problem(OutcomeTable.of(r.fault()), r.getMessage(), null, null);
  }

  static Problem of(RequestFault fault, String detail) {
    return of(fault.refuse(detail));
  }
}
