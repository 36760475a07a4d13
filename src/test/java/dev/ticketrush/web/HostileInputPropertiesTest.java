package dev.ticketrush.web;

import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.Integration;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against every operation of openapi.yaml, on one running node: wrong types, huge numbers, deep
 * nesting, 100,000-element arrays, broken UTF-8, odd path parameters and oversized headers. Every answer is a 2xx
 * or a 4xx problem (application/problem+json with a {@code code}), never a 5xx, and a 4xx changes no seat.
 * A jqwik container (no JUnit extensions): it starts its node itself, and takes jqwik's own tag for the slow lane.
 */
@net.jqwik.api.Tag(Integration.TAG)
class HostileInputPropertiesTest {
  static TestNode node;
  static Api api;
  static RedisLink redis;
  static long eventId;
  static String user;
  static String admin;
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One operation of the contract: method, path with {eventId}/{seatId}/{orderId}, whether it takes a body. */
  record Op(String method, String path, boolean body, boolean changesSeats) {
  }

  static final List<Op> OPS = List.of(
      new Op("POST", "/api/dev/tokens", true, false),
      new Op("POST", "/api/events", true, false),
      new Op("PATCH", "/api/events/{eventId}", true, false),
      new Op("POST", "/api/events/{eventId}/holds/best", true, true),
      new Op("GET", "/api/events/{eventId}", false, false),
      new Op("GET", "/api/events/{eventId}/layout", false, false),
      new Op("GET", "/api/events/{eventId}/seats", false, false),
      new Op("GET", "/api/events/{eventId}/presence", false, false),
      new Op("POST", "/api/events/{eventId}/holds", true, true),
      new Op("GET", "/api/events/{eventId}/holds/me", false, false),
      new Op("DELETE", "/api/events/{eventId}/holds/{seatId}", false, true),
      new Op("POST", "/api/events/{eventId}/orders", true, true),
      new Op("GET", "/api/events/{eventId}/orders/me", false, false),
      new Op("GET", "/api/orders/{orderId}", false, false),
      new Op("POST", "/api/events/{eventId}/queue", true, false),
      new Op("GET", "/api/events/{eventId}/queue/me", false, false));

  @BeforeContainer
  static void start() {
    node = TestNode.start();
    api = new Api(node);
    redis = new RedisLink(node.app().vertx(), node.app().config().redis().url());
    eventId = api.createEvent(10, 10, new JsonObject().put("holdTtlMs", 3_600_000).put("maxSeatsPerUser", 100)).getLong("id");
    user = api.token("hostile-" + eventId);
    admin = api.token("hostile-admin-" + eventId, "admin");
    // Some state for the mutations to collide with: a held seat the caller owns.
    assertThat(api.hold(eventId, user, 1, 2).status()).isEqualTo(201);
  }

  @AfterContainer
  static void stop() {
    redis.close();
    node.close();
  }

  static long version() throws Exception {
    Response r = Await.result(redis.send(Request.cmd(Command.GET).arg("ev:{" + eventId + "}:version")));
    return r == null ? -1 : r.toLong();
  }

  // ---- generators -------------------------------------------------------------------------------------------

  @Provide
  Arbitrary<String> pathValues() {
    return Arbitraries.oneOf(
        Arbitraries.just("{valid}"),
        Arbitraries.of("0", "-1", "1.5", "1e3", "0x10", "+1", " 1", "1 ", "9007199254740991", "9007199254740992",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999",
            "abc", "null", "true", "%00", "%FF%FE", "%C0%AF", "%E2%80%AE1", "\u0661\u0662", "\uD83D\uDE00", "..", "%2F",
            "1%0D%0AX-Injected:%201").map(HostileInputPropertiesTest::encodeUnlessEncoded),
        Arbitraries.strings().numeric().ofMinLength(19).ofMaxLength(3_000),
        Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMinLength(1).ofMaxLength(40)
            .map(s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)));
  }

  /** A JSON value of the wrong kind, size or shape. */
  @Provide
  Arbitrary<String> hostileValues() {
    return Arbitraries.oneOf(
        Arbitraries.of("null", "true", "\"\"", "\"1\"", "{}", "[]", "[null]", "[[1]]", "[{}]", "1.5", "-0", "1e400",
            "-1e400", "1E+2", "9007199254740993", "9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890", "[1,1]", "[0]", "[-1]", "[100001]", "[1.0]", "[\"1\"]", "[true]",
            "\"\\u0000\"", "\"\\uD800\"", "\"\\uDFFF\\uD800\"", "\"" + "x".repeat(10_000) + "\""),
        Arbitraries.integers().between(1, 2_000).map(n -> "[".repeat(n) + "]".repeat(n)),
        Arbitraries.integers().between(1, 2_000).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
        Arbitraries.integers().between(101, 100_000).map(n -> "[" + "1,".repeat(n - 1) + "1]"),
        Arbitraries.longs().map(n -> Long.toString(n)),
        Arbitraries.doubles().map(d -> Double.toString(d)).filter(s -> !s.contains("Infinity") && !s.contains("NaN")));
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<String> fields = Arbitraries.of("seats", "paymentToken", "name", "sections", "sub", "roles",
        "holdTtlMs", "maxSeatsPerUser", "queue", "ttlSeconds", "", "__proto__", "seats\u0000",
        // the box office's fields: text, instants and prices
        "currency", "categories", "category", "maxPrice", "count", "section", "salesStartAt", "salesEndAt",
        "maxTicketsPerUser", "onSale");
    Arbitrary<byte[]> objects = Combinators.combine(fields, hostileValues(), fields, hostileValues())
        .as((f1, v1, f2, v2) -> ("{\"" + f1 + "\":" + v1 + ",\"" + f2 + "\":" + v2 + "}").getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> raw = Arbitraries.oneOf(
        Arbitraries.of("", "{", "}", "{\"seats\":[1,2]", "{\"seats\":[1,2]}garbage", "\uFEFF{\"seats\":[3]}",
            "{\"seats\":[3],\"seats\":[4]}", "[]", "\"seats\"", "nul", "{'seats':[3]}")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)),
        hostileValues().map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        // Broken UTF-8 inside a string: a lone continuation byte, an overlong slash, a truncated sequence.
        Arbitraries.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF})
            .map(bad -> concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), bad,
                "\",\"seats\":[3]}".getBytes(StandardCharsets.UTF_8))));
    return Arbitraries.oneOf(objects, raw);
  }

  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> longValue = Arbitraries.integers().between(100, 20_000).map("a"::repeat);
    return Arbitraries.oneOf(
        Arbitraries.just(Map.<String, String>of()),
        longValue.map(v -> Map.of("Authorization", "Bearer " + v)),
        longValue.map(v -> Map.of("X-Entry-Token", v)),
        longValue.map(v -> Map.of("Idempotency-Key", v)),
        longValue.map(v -> Map.of("X-Filler", v)),
        Arbitraries.of("Bearer", "Bearer ", "Basic abc", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.e30.", "bearer x")
            .map(v -> Map.of("Authorization", v)),
        Arbitraries.of("text/plain", "application/json; charset=latin1", "application/xml", "multipart/form-data", "*/*")
            .map(v -> Map.of("Content-Type", v)),
        Arbitraries.of("\u00e9\u00e8", "key with spaces", "k".repeat(65), "")
            .map(v -> Map.of("Idempotency-Key", v)));
  }

  // ---- properties -------------------------------------------------------------------------------------------

  @Property(tries = 200, shrinking = ShrinkingMode.OFF)
  void hostileBodiesAreRefusedCleanly(@ForAll("ops") Op op, @ForAll("bodies") byte[] body) throws Exception {
    check(op, "{valid}", body, Map.of());
  }

  @Property(tries = 200, shrinking = ShrinkingMode.OFF)
  void hostilePathParametersAreRefusedCleanly(@ForAll("ops") Op op, @ForAll("pathValues") String value) throws Exception {
    check(op, value, op.body() ? "{\"seats\":[3]}".getBytes(StandardCharsets.UTF_8) : null, Map.of());
  }

  @Property(tries = 200, shrinking = ShrinkingMode.OFF)
  void hostileHeadersAreRefusedCleanly(@ForAll("ops") Op op, @ForAll("headers") Map<String, String> headers)
      throws Exception {
    check(op, "{valid}", op.body() ? "{\"seats\":[300]}".getBytes(StandardCharsets.UTF_8) : null, headers);
  }

  @Example
  void oversizedRequestLinesAndHeadersAreProblemsToo() throws Exception {
    HttpResponse<String> longLine = HTTP.send(HttpRequest.newBuilder(
        URI.create(node.baseUrl() + "/api/events/" + "9".repeat(10_000))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(longLine.statusCode()).isEqualTo(414);
    assertThat(new JsonObject(longLine.body()).getString("code")).isEqualTo("uri_too_long");
    assertThat(longLine.headers().firstValue("Content-Type")).contains(ProblemHandler.CONTENT_TYPE);

    HttpResponse<String> bigHeader = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/events/" + eventId))
        .header("X-Filler", "a".repeat(20_000)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bigHeader.statusCode()).isEqualTo(431);
    assertThat(new JsonObject(bigHeader.body()).getString("code")).isEqualTo("headers_too_large");

    HttpResponse<String> multipartGet = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/events/" + eventId))
        .header("Content-Type", "multipart/form-data; boundary=x").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(multipartGet.statusCode()).isEqualTo(200);
  }

  @Provide
  Arbitrary<Op> ops() {
    return Arbitraries.of(OPS);
  }

  void check(Op op, String pathValue, byte[] body, Map<String, String> headers) throws Exception {
    String value = pathValue.equals("{valid}") ? null : pathValue;
    String path = op.path()
        .replace("{eventId}", value != null ? value : Long.toString(eventId))
        .replace("{seatId}", value != null ? value : "1")
        .replace("{orderId}", value != null ? value : "00000000-0000-0000-0000-000000000000");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(30));
    b.header("Authorization", "Bearer " + (op.path().equals("/api/events") || op.method().equals("PATCH") ? admin : user));
    if (op.path().endsWith("/orders")) {
      b.header("Idempotency-Key", "k-" + System.nanoTime());
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::setHeader);
    b.method(op.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));

    long before = version();
    HttpResponse<String> r;
    try {
      r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException closedOnUs) {
      // A refusal may close the connection before the client has sent it all (a huge body): that is no 5xx.
      assertThat(version()).as("%s %s: nothing changed", op.method(), path).isEqualTo(before);
      return;
    }
    String what = op.method() + " " + abbreviate(path) + " → " + r.statusCode() + " " + abbreviate(r.body());
    assertThat(r.statusCode()).as(what).isLessThan(500);
    if (r.statusCode() >= 400) {
      assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
      JsonObject problem = new JsonObject(r.body());
      assertThat(problem.getString("code")).as(what).isNotBlank();
      assertThat(problem.getInteger("status")).as(what).isEqualTo(r.statusCode());
      if (op.changesSeats()) {
        assertThat(version()).as("%s: nothing changed", what).isEqualTo(before);
      }
    }
  }

  static String encodeUnlessEncoded(String s) {
    return s.contains("%") ? s : java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…(" + s.length() + ")";
  }

  static byte[] concat(byte[]... parts) {
    List<Byte> out = new ArrayList<>();
    for (byte[] p : parts) {
      for (byte x : p) {
        out.add(x);
      }
    }
    byte[] bytes = new byte[out.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = out.get(i);
    }
    return bytes;
  }
}
