package dev.ticketrush.outcome;

import io.vertx.core.json.JsonObject;

/**
 * A request refused for a domain reason ({@link Outcome}), with a human-readable detail and optional extra
 * members for the answer (e.g. the conflicting {@code seats}). Thrown or returned as a failed future; the web
 * layer answers it as RFC 9457 problem JSON. No stack trace: it is an answer, not a crash.
 */
public final class Rejection extends RuntimeException {
  private final Outcome outcome;
  private final JsonObject extra;
  private final Long retryAfterSeconds;

  private Rejection(Outcome outcome, String detail, JsonObject extra, Long retryAfterSeconds) {
    super(detail, null, false, false);
    this.outcome = outcome;
    this.extra = extra;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static Rejection of(Outcome outcome, String detail) {
    return new Rejection(outcome, detail, null, null);
  }

  public static Rejection invalid(String detail) {
    return of(Outcome.INVALID_REQUEST, detail);
  }

  public Rejection with(String key, Object value) {
    JsonObject e = extra == null ? new JsonObject() : extra.copy();
    e.put(key, value);
    return new Rejection(outcome, getMessage(), e, retryAfterSeconds);
  }

  public Rejection retryAfter(long seconds) {
    return new Rejection(outcome, getMessage(), extra, Math.max(1, seconds));
  }

  public Outcome outcome() {
    return outcome;
  }

  /** Extra members of the answer, or null. */
  public JsonObject extra() {
    return extra;
  }

  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
