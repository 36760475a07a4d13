package dev.ticketrush.loadtest;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The public API as the load tool speaks it: non-blocking Vert.x HTTP/1.1 with keep-alive, a pool of exactly
 * {@code connections} sockets. Every answer, including a transport error (status 0), is recorded under its
 * operation name in the current {@link LoadRecorder}; futures never fail, so request loops keep going.
 */
public final class ApiClient {
  private static final long TIMEOUT_MS = 10_000;

  private final HttpClientAgent http;
  private final String host;
  private final int port;
  private volatile LoadRecorder recorder;

  public ApiClient(Vertx vertx, LoadOptions options) {
    this.host = options.host();
    this.port = options.port();
    this.http = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(5_000)
            .setDefaultHost(host).setDefaultPort(port),
        // Event loop size 0: a connection lives on the event loop of the context that opened it, so each request
        // loop (and the WebSocket writer) does its own I/O on its own thread.
        // Room for twice the loops (the payment race sends twin requests) plus the verification: requests never
        // queue for a connection, which also keeps clear of a pool race on acquisition timeouts in Vert.x 5.0.x
        // (eclipse-vertx/vert.x#6169). Concurrency is bounded by the request loops, not by the pool.
        new PoolOptions().setHttp1MaxSize(options.connections() * 2 + 8).setMaxWaitQueueSize(-1).setEventLoopSize(0));
    this.recorder = new LoadRecorder();
  }

  public void recordInto(LoadRecorder recorder) {
    this.recorder = recorder;
  }

  public LoadRecorder recorder() {
    return recorder;
  }

  /** One answer: status 0 means the request never got one (connect error, reset, timeout). */
  public record Reply(int status, MultiMap headers, Buffer body, String error) {
    public JsonObject json() {
      return body == null || body.length() == 0 ? new JsonObject() : body.toJsonObject();
    }

    public String header(String name) {
      return headers == null ? null : headers.get(name);
    }

    /** The problem {@code code} of an error answer, found without a full JSON parse. */
    public String code() {
      return problemCode(body);
    }

    public String bodyText() {
      return body == null ? "" : body.toString(StandardCharsets.UTF_8);
    }
  }

  public Future<Reply> send(String op, HttpMethod method, String uri, String token, Buffer body, MultiMap extra) {
    RequestOptions ro = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(uri)
        .setTimeout(TIMEOUT_MS);
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (token != null) {
      h.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    if (body != null) {
      h.set(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    if (extra != null) {
      h.addAll(extra);
    }
    ro.setHeaders(h);
    LoadRecorder rec = recorder;
    long t0 = System.nanoTime();
    return http.request(ro)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b, null)))
        // A last guard: whatever happens inside the client, an answer arrives (status 0) and the loop goes on.
        .timeout(TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS)
        .otherwise(err -> new Reply(0, null, null, String.valueOf(err.getMessage())))
        .map(r -> {
          rec.record(op, r.status, outcome(r), System.nanoTime() - t0);
          return r;
        });
  }

  static String outcome(Reply r) {
    if (r.status == 0) {
      return "conn_error";
    }
    if (r.status < 400) {
      return Integer.toString(r.status);
    }
    String code = r.code();
    return code == null ? Integer.toString(r.status) : r.status + " " + code;
  }

  // ---- the operations of the contract ----

  public Future<String> devToken(String sub, boolean admin) {
    JsonObject body = new JsonObject().put("sub", sub).put("roles", admin ? new JsonArray().add("admin") : new JsonArray());
    return send("token", HttpMethod.POST, "/api/dev/tokens", null, body.toBuffer(), null).compose(r -> r.status == 200
        ? Future.succeededFuture(r.json().getString("token"))
        : Future.failedFuture("dev token for " + sub + ": " + r.status + " " + r.bodyText() + (r.error == null ? "" : r.error)
            + " (does the service run with TICKETRUSH_DEV_TOKENS=true?)"));
  }

  /** Creates an event: {@code sections} rows of {@code [name, rows, seatsPerRow]}. */
  public Future<JsonObject> createEvent(String adminToken, String name, List<Object[]> sections, JsonObject extra) {
    JsonArray secs = new JsonArray();
    for (Object[] s : sections) {
      secs.add(new JsonObject().put("name", s[0]).put("rows", s[1]).put("seatsPerRow", s[2]));
    }
    JsonObject body = new JsonObject().put("name", name).put("sections", secs);
    if (extra != null) {
      extra.forEach(e -> body.put(e.getKey(), e.getValue()));
    }
    return send("create_event", HttpMethod.POST, "/api/events", adminToken, body.toBuffer(), null).compose(r -> r.status == 201
        ? Future.succeededFuture(r.json())
        : Future.failedFuture("create event: " + r.status + " " + r.bodyText() + (r.error == null ? "" : r.error)));
  }

  public Future<Reply> hold(String op, long eventId, String token, Collection<Integer> seats) {
    return send(op, HttpMethod.POST, "/api/events/" + eventId + "/holds", token, seatsBody(seats, null), null);
  }

  public Future<Reply> release(String op, long eventId, String token, int seat) {
    return send(op, HttpMethod.DELETE, "/api/events/" + eventId + "/holds/" + seat, token, null, null);
  }

  public Future<Reply> order(String op, long eventId, String token, String idempotencyKey, Buffer body) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().set("Idempotency-Key", idempotencyKey);
    return send(op, HttpMethod.POST, "/api/events/" + eventId + "/orders", token, body, h);
  }

  public Future<JsonObject> seats(long eventId) {
    return send("seats", HttpMethod.GET, "/api/events/" + eventId + "/seats", null, null, null).compose(r -> r.status == 200
        ? Future.succeededFuture(r.json())
        : Future.failedFuture("GET seats: " + r.status + " " + r.bodyText()));
  }

  public Future<JsonArray> myOrders(long eventId, String token) {
    return send("orders_me", HttpMethod.GET, "/api/events/" + eventId + "/orders/me", token, null, null).compose(r -> r.status == 200
        ? Future.succeededFuture(r.json().getJsonArray("orders", new JsonArray()))
        : Future.failedFuture("GET orders/me: " + r.status + " " + r.bodyText()));
  }

  /** The Prometheus text of {@code /metrics}, or null. Not recorded: it is the observer, not the load. */
  public Future<String> metrics() {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI("/metrics")
        .setTimeout(TIMEOUT_MS);
    return http.request(ro).compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode() == 200
        ? b.toString(StandardCharsets.UTF_8) : null)).otherwise((String) null);
  }

  public static Buffer seatsBody(Collection<Integer> seats, String paymentToken) {
    StringBuilder sb = new StringBuilder(32).append("{\"seats\":[");
    boolean first = true;
    for (int s : seats) {
      if (!first) {
        sb.append(',');
      }
      sb.append(s);
      first = false;
    }
    sb.append(']');
    if (paymentToken != null) {
      sb.append(",\"paymentToken\":\"").append(paymentToken).append('"');
    }
    return Buffer.buffer(sb.append('}').toString());
  }

  /** {@code "code":"x"} of a problem body; a cheap scan, since 409s are the common case under contention. */
  static String problemCode(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    String s = body.toString(StandardCharsets.UTF_8);
    int i = s.indexOf("\"code\"");
    if (i < 0) {
      return null;
    }
    int q1 = s.indexOf('"', s.indexOf(':', i) + 1);
    int q2 = q1 < 0 ? -1 : s.indexOf('"', q1 + 1);
    return q1 < 0 || q2 < 0 ? null : s.substring(q1 + 1, q2);
  }

  public Future<Void> close() {
    return http.close();
  }
}
