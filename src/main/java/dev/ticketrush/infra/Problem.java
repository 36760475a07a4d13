package dev.ticketrush.infra;

import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem. Thrown (as a failed future) by handlers and services and turned into
 * {@code application/problem+json} by the router's failure handler. No stack trace: it is an answer, not a crash.
 */
public final class Problem extends RuntimeException {
  public static final String CONTENT_TYPE = "application/problem+json";

  private final ErrorCode code;
  private final JsonObject extra;
  private final Long retryAfterSeconds;

  private Problem(ErrorCode code, String detail, JsonObject extra, Long retryAfterSeconds) {
    super(detail, null, false, false);
    this.code = code;
    this.extra = extra;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static Problem of(ErrorCode code, String detail) {
    return new Problem(code, detail, null, null);
  }

  public static Problem invalid(String detail) {
    return of(ErrorCode.INVALID_REQUEST, detail);
  }

  public Problem with(String key, Object value) {
    JsonObject e = extra == null ? new JsonObject() : extra.copy();
    e.put(key, value);
    return new Problem(code, getMessage(), e, retryAfterSeconds);
  }

  public Problem retryAfter(long seconds) {
    return new Problem(code, getMessage(), extra, Math.max(1, seconds));
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return code.status();
  }

  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", "https://ticketrush.dev/problems/" + code.code().replace('_', '-'))
        .put("title", code.title())
        .put("status", code.status())
        .put("detail", getMessage())
        .put("code", code.code());
    if (extra != null) {
      extra.forEach(e -> json.put(e.getKey(), e.getValue()));
    }
    return json;
  }
}
