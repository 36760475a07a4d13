package dev.ticketrush.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.Integration;
import dev.ticketrush.support.RawSockets;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile HTTP clients on raw sockets against one node: broken framing, request smuggling shapes, malformed
 * escapes, lenient spellings, WebSocket handshakes without the right headers, a client that sends its headers one
 * byte at a time, and the 10,000-id hold body. Every shape gets an answer (never a connection closed without one),
 * never a 5xx, and nothing is logged at ERROR.
 */
@Integration
class HostileHttpTest {
  static final long DEADLINE_MS = 1_500;
  static TestNode node;
  static Api api;
  static long eventId;
  static String token;
  static ListAppender<ILoggingEvent> log;

  @BeforeAll
  static void start() {
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    node = TestNode.start(new JsonObject().put("requestDeadlineMs", DEADLINE_MS));
    api = new Api(node);
    eventId = api.createEvent(10, 10, new JsonObject()).getLong("id");
    token = api.token("hostile-http-" + eventId);
    log.list.clear(); // from here on, only what the hostile requests cause (not how the test services were found)
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    node.close();
  }

  @AfterEach
  void nothingLoggedAtError() {
    List<String> errors = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(log.list)) {
      if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
        errors.add(e.getLoggerName() + ": " + e.getFormattedMessage());
      }
    }
    assertThat(errors).as("ERROR lines").isEmpty();
  }

  // ---- framing and smuggling ----------------------------------------------------------------------------------

  @Test
  @DisplayName("Content-Length with Transfer-Encoding, and every Transfer-Encoding but 'chunked', are 400 and close")
  void smugglingShapesAreRefusedAndTheConnectionClosed() throws Exception {
    String smuggled = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    String chunkedBody = "5\r\nhello\r\n0\r\n\r\n";
    Map<String, String> shapes = new LinkedHashMap<>();
    shapes.put("CL + TE", "POST /api/dev/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + (chunkedBody.length() + smuggled.length()) + "\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunkedBody + smuggled);
    shapes.put("TE + CL", "POST /api/dev/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        + "Content-Length: 4\r\n\r\n" + "0\r\n\r\n" + smuggled);
    for (String te : List.of("CHUNKED", "Chunked", "identity, chunked", "chunked, identity", "gzip, chunked",
        "gzip", "identity", "chunked,chunked", "x-chunked")) {
      shapes.put("TE: " + te, "POST /api/dev/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te + "\r\n\r\n"
          + chunkedBody + smuggled);
    }
    shapes.put("two TE headers", "POST /api/dev/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + chunkedBody + smuggled);
    for (Map.Entry<String, String> shape : shapes.entrySet()) {
      try (Socket s = RawSockets.connect(node)) {
        send(s, shape.getValue());
        Reply r = read(s);
        assertProblem(shape.getKey(), r, 400, "invalid_request");
        assertThat(r.header("connection")).as(shape.getKey()).isEqualToIgnoringCase("close");
        assertThat(read(s)).as(shape.getKey() + ": the smuggled request never runs").isNull();
      }
    }
  }

  @Test
  @DisplayName("Broken chunked bodies, bad versions and an HTTP/2 preface get problem JSON before the close")
  void codecFailuresAreAnsweredWithProblems() throws Exception {
    String head = "POST /api/dev/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    Map<String, String> shapes = new LinkedHashMap<>();
    shapes.put("bad chunk size", head + "zz\r\nhello\r\n0\r\n\r\n");
    shapes.put("overflowing chunk size", head + "ffffffffffffffffffffff\r\nhello\r\n0\r\n\r\n");
    shapes.put("negative chunk size", head + "-5\r\nhello\r\n0\r\n\r\n");
    shapes.put("huge chunk extension", head + "5;" + "e".repeat(20_000) + "\r\nhello\r\n0\r\n\r\n");
    shapes.put("huge trailer", head + "0\r\nX-Trailer: " + "t".repeat(20_000) + "\r\n\r\n");
    shapes.put("bare LF chunk lines", head + "5\nhello\n0\n\n");
    shapes.put("http/1.1 in lower case", "GET /health/live http/1.1\r\nHost: x\r\n\r\n");
    shapes.put("HTTP/2.0 request line", "GET /health/live HTTP/2.0\r\nHost: x\r\n\r\n");
    shapes.put("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    shapes.put("HTTP/x.y", "GET /health/live HTTP/x.y\r\nHost: x\r\n\r\n");
    for (Map.Entry<String, String> shape : shapes.entrySet()) {
      try (Socket s = RawSockets.connect(node)) {
        send(s, shape.getValue());
        Reply r = read(s);
        assertThat(r).as(shape.getKey() + ": answered before the close").isNotNull();
        assertThat(r.status()).as(shape.getKey()).isBetween(400, 499);
        assertProblem(shape.getKey(), r, r.status(), null);
        assertThat(RawSockets.closedByServer(s, 10_000)).as(shape.getKey() + ": closed").isTrue();
      }
    }
  }

  @Test
  @DisplayName("HTTP/1.2 is served as HTTP/1.1 (RFC 9112 section 2.3)")
  void aHigherMinorVersionIsServedAsHttp11() throws Exception {
    try (Socket s = RawSockets.connect(node)) {
      send(s, "GET /health/live HTTP/1.2\r\nHost: x\r\n\r\n");
      Reply r = read(s);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
    }
  }

  // ---- escapes and lenient spellings --------------------------------------------------------------------------

  @Test
  @DisplayName("Malformed or overlong percent-escapes anywhere in the target are 400 invalid_request")
  void malformedEscapesAreRefused() throws Exception {
    List<String> targets = List.of("/api/events/%zz", "/api/events/%", "/api/events/1%", "/api/events/%C0%AF",
        "/api/events/" + eventId + "/seats?x=%zz", "/api/events/" + eventId + "/seats?x=%", "/api/events/%E0%80%AF",
        "/ws/events/%zz", "/eventbus/info?t=%zz", "/%zz", "/index.html?%", "/api/events/%FF");
    for (String target : targets) {
      try (Socket s = RawSockets.connect(node)) {
        send(s, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblem(target, read(s), 400, "invalid_request");
      }
      try (Socket s = RawSockets.connect(node)) {
        send(s, "GET " + target + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertProblem("upgrade " + target, read(s), 400, "invalid_request");
      }
    }
  }

  @Test
  @DisplayName("Two credentials or content types, ids not in plain ASCII decimal, ';' in the query, JSON with a BOM or comments")
  void lenientSpellingsAreRefused() throws Exception {
    String hold = "/api/events/" + eventId + "/holds";
    String auth = "Authorization: Bearer " + token + "\r\n";
    Map<String, String> shapes = new LinkedHashMap<>();
    shapes.put("two Authorization headers", post(hold, auth + "Authorization: Bearer nobody\r\n", "{\"seats\":[5]}"));
    shapes.put("two Content-Type headers", post(hold, auth + "Content-Type: text/plain\r\n", "{\"seats\":[5]}"));
    shapes.put("comment in JSON", post(hold, auth, "{\"seats\":[5] /* and more */}"));
    shapes.put("line comment in JSON", post(hold, auth, "{\"seats\":[5]} // more"));
    shapes.put("byte-order mark", post(hold, auth, "\uFEFF{\"seats\":[5]}"));
    // {id} is a real id: every other spelling of it is refused, as are non-ASCII digits.
    for (String id : List.of("+{id}", "0{id}", "%20{id}", "{id}%20", "%EF%BC%91", "%D9%A3", "0x1", "1e0")) {
      String event = id.replace("{id}", String.valueOf(eventId));
      shapes.put("event id " + id, "GET /api/events/" + event + "/seats HTTP/1.1\r\nHost: x\r\n\r\n");
      shapes.put("seat id " + id, "DELETE " + hold + "/" + id.replace("{id}", "5") + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
      shapes.put("WebSocket event id " + id, upgrade("/ws/events/" + event, ""));
    }
    shapes.put("since=1;2", upgrade("/ws/events/" + eventId + "?since=1;2", ""));
    shapes.put("since=+1", upgrade("/ws/events/" + eventId + "?since=+1", ""));
    for (Map.Entry<String, String> shape : shapes.entrySet()) {
      try (Socket s = RawSockets.connect(node)) {
        s.getOutputStream().write(shape.getValue().getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        assertProblem(shape.getKey(), read(s), 400, "invalid_request");
      }
    }
    assertThat(api.seats(eventId).getJsonArray("held")).as("nothing was held").isEmpty();
  }

  @Test
  @DisplayName("WebSocket handshakes without a key or in another version are refused as problem JSON")
  void badHandshakesAreProblems() throws Exception {
    for (String path : List.of("/ws/events/" + eventId, "/eventbus/websocket", "/eventbus/123/abcdefgh/websocket")) {
      try (Socket s = RawSockets.connect(node)) {
        send(s, "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n");
        assertProblem(path + " without key", read(s), 400, "invalid_request");
      }
      try (Socket s = RawSockets.connect(node)) {
        send(s, upgrade(path, "").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 99"));
        Reply r = read(s);
        assertProblem(path + " version 99", r, 426, "upgrade_required");
        assertThat(r.header("sec-websocket-version")).isEqualTo("13");
      }
    }
    try (Socket s = RawSockets.connect(node)) {
      assertThat(RawSockets.upgrade(s, "/ws/events/" + eventId)).as("a proper handshake still works").startsWith("HTTP/1.1 101");
    }
  }

  // ---- slow clients and the big body --------------------------------------------------------------------------

  @Test
  @DisplayName("Headers sent a byte at a time get 408 at the request deadline, and it is counted")
  void slowHeadersMeetTheDeadline() throws Exception {
    byte[] request = ("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    try (Socket s = RawSockets.connect(node)) {
      OutputStream out = s.getOutputStream();
      long giveUp = System.currentTimeMillis() + 30_000;
      int sent = 0;
      boolean refused = false;
      while (!refused && System.currentTimeMillis() < giveUp) {
        try {
          out.write(request[Math.min(sent++, request.length - 1)]);
          out.flush();
        } catch (IOException closed) {
          refused = true;
          break;
        }
        refused = s.getInputStream().available() > 0;
        Thread.sleep(100); // the client's own pace, not a wait for the server
      }
      assertThat(sent).as("the whole request was never sent").isLessThan(request.length);
      Reply r = read(s);
      assertProblem("slow headers", r, 408, "request_timeout");
      assertThat(RawSockets.closedByServer(s, 10_000)).isTrue();
    }
    String metrics = api.get("/metrics", null).body();
    assertThat(metrics.lines().filter(l -> l.startsWith("ticketrush_requests_too_slow_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("The 10,000-id hold body is refused (401 anonymous, 400 with a token) while every event loop answers probes")
  void theTenThousandIdBodyFreezesNothing() throws Exception {
    StringBuilder ids = new StringBuilder("{\"seats\":[");
    for (int i = 1; i <= 10_000; i++) {
      ids.append(i == 1 ? "" : ",").append(i);
    }
    String body = ids.append("]}").toString();
    String hold = "/api/events/" + eventId + "/holds";
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<Reply>> big = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String headers = i % 2 == 0 ? "" : "Authorization: Bearer " + token + "\r\n";
        big.add(CompletableFuture.supplyAsync(() -> exchange(post(hold, headers, body)), pool));
      }
      // Fresh connections are spread over the event loops: twice as many probes of each kind as loops reach every one.
      List<CompletableFuture<Reply>> live = new ArrayList<>();
      List<CompletableFuture<Reply>> ready = new ArrayList<>();
      for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors() * 2; i++) {
        live.add(CompletableFuture.supplyAsync(() -> exchange("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"), pool));
        ready.add(CompletableFuture.supplyAsync(() -> exchange("GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n"), pool));
      }
      // Liveness bounds, not performance claims: a frozen loop would leave probes unanswered for tens of seconds.
      for (CompletableFuture<Reply> probe : live) {
        Reply r = probe.get(10, TimeUnit.SECONDS);
        assertThat(r).as("liveness probe answered").isNotNull();
        assertThat(r.status()).isEqualTo(200);
      }
      for (CompletableFuture<Reply> probe : ready) {
        Reply r = probe.get(10, TimeUnit.SECONDS);
        assertThat(r).as("readiness probe answered").isNotNull();
        // 503 is an answer too: on a loaded test machine a database ping may miss its one-second bound.
        assertThat(r.status()).isIn(200, 503);
      }
      for (int i = 0; i < big.size(); i++) {
        Reply r = big.get(i).get(30, TimeUnit.SECONDS);
        if (i % 2 == 0) {
          assertProblem("anonymous 10,000 ids", r, 401, "unauthorized");
        } else {
          assertProblem("10,000 ids", r, 400, "invalid_request");
          assertThat(new JsonObject(r.body()).getString("detail")).contains("too many items");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(api.seats(eventId).getJsonArray("held")).isEmpty();
  }

  @Test
  @DisplayName("Bridge frames of unknown types, repeated registrations and a drop without a close frame are counted, not logged")
  void bridgeMistakesAreCountedNotLogged() throws Exception {
    int before = log.list.size();
    try (Socket s = RawSockets.connect(node)) {
      assertThat(RawSockets.upgrade(s, "/eventbus/websocket")).startsWith("HTTP/1.1 101");
      for (int i = 0; i < 100; i++) {
        RawSockets.sendText(s, "{\"type\":\"bogus-" + i + "\",\"address\":\"seats." + eventId + "\"}");
      }
      for (int i = 0; i < 100; i++) {
        RawSockets.sendText(s, "{\"type\":\"register\",\"address\":\"seats." + eventId + "\"}");
      }
      // Counted while the socket is still open: closing it first may reset the connection before the server has
      // read every frame sent.
      boolean counted = Await.until(() -> bridgeRefused("unknown_frame") >= 100 && bridgeRefused("already_registered") >= 99,
          done -> done, Duration.ofSeconds(20), Duration.ofMillis(100));
      assertThat(counted).as("refusals counted: %s unknown, %s repeated",
          bridgeRefused("unknown_frame"), bridgeRefused("already_registered")).isTrue();
    } // closed without a close frame
    List<String> bridgeLines = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(log.list).subList(before, log.list.size())) {
      if (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getLoggerName().contains("sockjs")) {
        bridgeLines.add(e.getLoggerName() + ": " + e.getFormattedMessage());
      }
    }
    assertThat(bridgeLines).as("bridge WARN/ERROR lines").isEmpty();
  }

  static double bridgeRefused(String reason) {
    return api.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith("ticketrush_bridge_refused_total") && l.contains("reason=\"" + reason + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  // ---- raw HTTP helpers ---------------------------------------------------------------------------------------

  record Reply(String statusLine, int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static void assertProblem(String what, Reply r, int status, String code) {
    assertThat(r).as(what + ": answered (not closed without an answer)").isNotNull();
    String shown = what + " → " + r.statusLine() + " " + (r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
    assertThat(r.status()).as(shown).isEqualTo(status);
    assertThat(r.header("content-type")).as(shown).startsWith(ProblemHandler.CONTENT_TYPE);
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getInteger("status")).as(shown).isEqualTo(status);
    if (code != null) {
      assertThat(problem.getString("code")).as(shown).isEqualTo(code);
    } else {
      assertThat(problem.getString("code")).as(shown).isNotBlank();
    }
  }

  static String post(String path, String headers, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + headers
        + "Content-Length: " + body.length + "\r\n\r\n" + json;
  }

  static String upgrade(String path, String headers) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + headers + "\r\n";
  }

  static Reply exchange(String request) {
    try (Socket s = RawSockets.connect(node)) {
      send(s, request);
      return read(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void send(Socket s, String request) throws IOException {
    try {
      s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
    } catch (SocketException refusedMidWay) {
      // The server may answer and close before it has read everything; the answer is still there to read.
    }
  }

  /** One response (head and a Content-Length or chunked body); null when the server closes without one. */
  static Reply read(Socket s) throws IOException {
    s.setSoTimeout(15_000);
    InputStream in = s.getInputStream();
    String head;
    try {
      head = line(in, true);
    } catch (SocketException | SocketTimeoutException closed) {
      return null;
    }
    if (head == null) {
      return null;
    }
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        int size = Integer.parseInt(line(in, false).trim(), 16);
        if (size == 0) {
          line(in, false);
          break;
        }
        body.write(in.readNBytes(size));
        line(in, false);
      }
    }
    return new Reply(lines[0], status, headers, body.toString(StandardCharsets.UTF_8));
  }

  /** Up to CRLF (or, for a head, up to the blank line); null at the end of the stream before any byte. */
  private static String line(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    String end = head ? "\r\n\r\n" : "\r\n";
    while (true) {
      int b = in.read();
      if (b < 0) {
        return got.size() == 0 ? null : got.toString(StandardCharsets.ISO_8859_1);
      }
      got.write(b);
      String text = got.toString(StandardCharsets.ISO_8859_1);
      if (text.endsWith(end)) {
        return text.substring(0, text.length() - end.length());
      }
    }
  }
}
