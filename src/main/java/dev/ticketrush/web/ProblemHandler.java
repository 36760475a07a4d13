package dev.ticketrush.web;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into RFC 9457 problem JSON. User mistakes are 4xx; only real faults are 5xx. */
public final class ProblemHandler implements Handler<RoutingContext> {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    send(ctx, toProblem(ctx));
  }

  public static void send(RoutingContext ctx, Rejection r) {
    send(ctx, Problem.of(r));
  }

  private static void send(RoutingContext ctx, Problem r) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (r.retryAfterSeconds() != null) {
      ctx.response().putHeader("Retry-After", String.valueOf(r.retryAfterSeconds()));
    }
    ctx.response()
        .setStatusCode(r.answer().status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(toJson(r).toBuffer());
  }

  /**
   * For {@code HttpServer.invalidRequestHandler}: a request the HTTP codec could not even parse (a request line or
   * headers over the limits, broken framing) gets problem JSON too, where Vert.x would answer with an empty body.
   * The connection is closed afterwards, as the default handler does: its framing can no longer be trusted.
   */
  static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    Problem r;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      r = Problem.of(RequestFault.URI_TOO_LONG, "the request line is longer than the server reads");
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      r = Problem.of(RequestFault.HEADERS_TOO_LARGE, "the request headers are larger than the server reads");
    } else if (cause instanceof StrictHttp1.Refusal refusal) {
      r = Problem.of(Rejection.invalid(refusal.getMessage()));
    } else {
      r = Problem.of(Rejection.invalid("the request could not be parsed as HTTP"));
    }
    request.response()
        .setStatusCode(r.answer().status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Connection", "close")
        .end(toJson(r).toBuffer())
        .onComplete(v -> request.connection().close());
  }

  /** The problem object of a rejection: type, title, status and code from the {@link OutcomeTable}. */
  public static JsonObject toJson(Rejection r) {
    return toJson(Problem.of(r));
  }

  static JsonObject toJson(Problem r) {
    OutcomeTable.Answer a = r.answer();
    JsonObject json = new JsonObject()
        .put("type", "https://ticketrush.dev/problems/" + a.code().replace('_', '-'))
        .put("title", a.title())
        .put("status", a.status())
        .put("detail", r.detail())
        .put("code", a.code());
    if (r.extra() != null) {
      r.extra().forEach(e -> json.put(e.getKey(), e.getValue()));
    }
    return json;
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
    if (ctx.response().closed() || ctx.response().ended() || f instanceof java.nio.channels.ClosedChannelException) {
      // The client went away (e.g. a load generator stopping), or the answer was written and only its delivery
      // failed: nobody is left to answer, nothing to log.
      return Problem.of(Rejection.of(Outcome.INVALID_REQUEST, "connection closed"));
    }
    int status = ctx.statusCode();
    if (f instanceof HttpException h) {
      status = h.getStatusCode();
      f = h.getCause() != null ? h.getCause() : (h.getPayload() != null ? new IllegalArgumentException(h.getPayload()) : null);
    }
    if (f instanceof Rejection r) {
      return Problem.of(r);
    }
    if (f instanceof RequestFault.Refused r) {
      return Problem.of(r);
    }
    if (f instanceof DecodeException || f instanceof IllegalArgumentException) {
      return Problem.of(Rejection.invalid("malformed request: " + f.getMessage()));
    }
    // 503 from the seat service, or no seat service (the node is stopping) or no answer from it in time.
    if (f instanceof ReplyException r && (r.failureCode() == 503 || r.failureType() == ReplyFailure.NO_HANDLERS
        || r.failureType() == ReplyFailure.TIMEOUT)) {
      return Problem.of(Rejection.of(Outcome.SEAT_SERVICE_UNAVAILABLE, "seat store unavailable, retry shortly").retryAfter(1));
    }
    if (isBackendFault(f)) {
      log.warn("backend fault on {} {}: {}", ctx.request().method(), ctx.request().path(), f.toString());
      return Problem.of(Rejection.of(Outcome.BACKEND_UNAVAILABLE, "a backing store is unavailable, retry shortly").retryAfter(1));
    }
    switch (status) {
      case 400:
        return Problem.of(Rejection.invalid(f == null ? "bad request" : f.getMessage()));
      case 401:
        return Problem.of(Rejection.of(Outcome.UNAUTHORIZED, "authentication required"));
      case 403:
        return Problem.of(Rejection.of(Outcome.FORBIDDEN, "not allowed"));
      case 404:
        return Problem.of(RequestFault.NOT_FOUND, "no such resource: " + ctx.request().path());
      case 405:
        return Problem.of(RequestFault.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed here");
      case 413:
        return Problem.of(RequestFault.PAYLOAD_TOO_LARGE, "the request body is larger than allowed");
      case 415:
        return Problem.of(RequestFault.UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/json");
      default:
        if (status >= 400 && status < 500) {
          return Problem.of(Rejection.invalid(f == null ? "bad request" : f.getMessage()));
        }
        log.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), f);
        return Problem.of(Rejection.of(Outcome.INTERNAL, "unexpected server error"));
    }
  }
}
