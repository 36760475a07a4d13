package dev.ticketrush.http;

import dev.ticketrush.infra.ErrorCode;
import dev.ticketrush.infra.Problem;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into RFC 9457 problem JSON. User mistakes are 4xx; only real faults are 5xx. */
public final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    send(ctx, toProblem(ctx));
  }

  public static void send(RoutingContext ctx, Problem p) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (p.retryAfterSeconds() != null) {
      ctx.response().putHeader("Retry-After", String.valueOf(p.retryAfterSeconds()));
    }
    ctx.response()
        .setStatusCode(p.status())
        .putHeader("Content-Type", Problem.CONTENT_TYPE)
        .end(p.toJson().toBuffer());
  }

  /** Redis or PostgreSQL restarting or unreachable: a temporary fault (503 + Retry-After), not a server bug. */
  static boolean isBackendFault(Throwable f) {
    for (Throwable t = f; t != null; t = t.getCause()) {
      String pkg = t.getClass().getPackageName();
      if (t instanceof java.net.ConnectException || t instanceof java.util.concurrent.TimeoutException
          || pkg.startsWith("io.vertx.sqlclient") || pkg.startsWith("io.vertx.pgclient") || pkg.startsWith("io.vertx.redis")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static Problem toProblem(RoutingContext ctx) {
    Throwable f = ctx.failure();
    int status = ctx.statusCode();
    if (f instanceof HttpException h) {
      status = h.getStatusCode();
      f = h.getCause() != null ? h.getCause() : (h.getPayload() != null ? new IllegalArgumentException(h.getPayload()) : null);
    }
    if (f instanceof Problem p) {
      return p;
    }
    if (f instanceof DecodeException || f instanceof IllegalArgumentException) {
      return Problem.invalid("malformed request: " + f.getMessage());
    }
    if (f instanceof ReplyException r && r.failureCode() == 503) {
      return Problem.of(ErrorCode.SERVICE_UNAVAILABLE, "seat store unavailable, retry shortly").retryAfter(1);
    }
    if (isBackendFault(f)) {
      log.warn("backend fault on {} {}: {}", ctx.request().method(), ctx.request().path(), f.toString());
      return Problem.of(ErrorCode.SERVICE_UNAVAILABLE, "a backing store is unavailable, retry shortly").retryAfter(1);
    }
    switch (status) {
      case 400:
        return Problem.invalid(f == null ? "bad request" : f.getMessage());
      case 401:
        return Problem.of(ErrorCode.UNAUTHORIZED, "authentication required");
      case 403:
        return Problem.of(ErrorCode.FORBIDDEN, "not allowed");
      case 404:
        return Problem.of(ErrorCode.NOT_FOUND, "no such resource: " + ctx.request().path());
      case 405:
        return Problem.of(ErrorCode.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed here");
      case 413:
        return Problem.of(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than allowed");
      case 415:
        return Problem.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/json");
      default:
        if (status >= 400 && status < 500) {
          return Problem.invalid(f == null ? "bad request" : f.getMessage());
        }
        log.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), f);
        return Problem.of(ErrorCode.INTERNAL, "unexpected server error");
    }
  }
}
