package dev.ticketrush.web;

import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first look at every request, before the router (and so before any WebSocket upgrade): text the router and
 * its decoders would read leniently, or fail on with a 500, is refused here with a 400 {@code invalid_request}
 * problem. Refused: a malformed percent-escape ({@code %}, {@code %zz}), an escape that decodes to bytes that are not
 * UTF-8 (an overlong {@code %C0%AF} would otherwise read as {@code /}), a raw non-ASCII byte in the request target,
 * {@code ;} in the query (Netty would take it as a separator: {@code since=1;2} read as {@code since=1}), and a
 * credential or framing header sent twice (which copy wins would depend on the reader).
 */
final class RequestScreen implements Handler<HttpServerRequest> {
  private static final List<String> SINGLE = List.of("Authorization", "Content-Type", "Host", "Idempotency-Key",
      "X-Entry-Token", "X-Access-Code");
  private final Handler<HttpServerRequest> next;

  RequestScreen(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String refusal = refusal(request);
    if (refusal == null) {
      next.handle(request);
      return;
    }
    Rejection r = Rejection.invalid(refusal);
    request.response()
        .setStatusCode(OutcomeTable.status(r.outcome()))
        .putHeader("Content-Type", ProblemHandler.CONTENT_TYPE)
        .end(ProblemHandler.toJson(r).toBuffer());
  }

  static String refusal(HttpServerRequest request) {
    for (String name : SINGLE) {
      if (request.headers().getAll(name).size() > 1) {
        return "the " + name + " header was sent more than once";
      }
    }
    return targetRefusal(request.uri());
  }

  /** Null when the request target is plain: ASCII, well-formed escapes that decode to UTF-8, no ';' in the query. */
  static String targetRefusal(String uri) {
    int query = uri.indexOf('?');
    if (query >= 0 && uri.indexOf(';', query) >= 0) {
      return "';' is not a query separator here; use '&'";
    }
    byte[] decoded = new byte[uri.length()];
    int n = 0;
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '%') {
        int hi = i + 1 < uri.length() ? Character.digit(uri.charAt(i + 1), 16) : -1;
        int lo = i + 2 < uri.length() ? Character.digit(uri.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0 || uri.charAt(i + 1) > 'f' || uri.charAt(i + 2) > 'f') {
          return "malformed percent-escape in the request target (a '%' must be followed by two hex digits)";
        }
        decoded[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else if (c >= 0x80 || c < 0x20) {
        return "the request target must be printable ASCII; percent-encode other bytes as UTF-8";
      } else {
        decoded[n++] = (byte) c;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(decoded, 0, n));
    } catch (CharacterCodingException e) {
      return "the percent-escapes of the request target are not UTF-8 (overlong or broken sequences are refused)";
    }
    return null;
  }
}
