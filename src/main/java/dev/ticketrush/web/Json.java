package dev.ticketrush.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/** Small helpers for JSON answers and future-returning handlers. */
public final class Json {
  private Json() {
  }

  /** A handler whose failed future goes to the problem failure handler. */
  public static Handler<RoutingContext> async(Function<RoutingContext, Future<?>> handler) {
    return ctx -> {
      Future<?> f;
      try {
        f = handler.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      f.onFailure(ctx::fail);
    };
  }

  public static Future<Void> send(RoutingContext ctx, int status, JsonObject body) {
    return send(ctx, status, body.toBuffer());
  }

  public static Future<Void> send(RoutingContext ctx, int status, Buffer body) {
    return ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  public static long pathLong(RoutingContext ctx, String name) {
    try {
      return plainDecimal(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw dev.ticketrush.outcome.Rejection.invalid(name + " must be an integer");
    }
  }

  /**
   * A whole number written the one plain way: ASCII digits, an optional leading '-', no '+', no leading zero, no
   * spaces. {@link Long#parseLong} alone also takes {@code +1}, {@code 01} and any Unicode digit (full-width,
   * Arabic-Indic), so one id could be spelled many ways past caches, logs and limits.
   */
  public static long plainDecimal(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > 20) {
      throw new NumberFormatException("not a plain decimal");
    }
    int start = raw.charAt(0) == '-' ? 1 : 0;
    if (start == raw.length() || raw.charAt(start) == '0' && raw.length() > start + 1) {
      throw new NumberFormatException("not a plain decimal");
    }
    for (int i = start; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException("not a plain decimal");
      }
    }
    return Long.parseLong(raw);
  }
}
