package dev.ticketrush.event;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The layout of a big event is compressed once and served compressed (once, not twice) to clients that accept it. */
@TicketRushNode
class LayoutCompressionTest {
  static long bigEvent;
  TestNode node; // set by @TicketRushNode

  @BeforeAll
  static void createBigEvent(Api api) {
    bigEvent = api.createEvent(100, 1000, new JsonObject()).getLong("id");
  }

  HttpResponse<byte[]> get(HttpClient.Version version, String acceptEncoding, String ifNoneMatch) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/events/" + bigEvent + "/layout"))
        .timeout(Duration.ofSeconds(30)).GET();
    if (acceptEncoding != null) {
      b.header("Accept-Encoding", acceptEncoding);
    }
    if (ifNoneMatch != null) {
      b.header("If-None-Match", ifNoneMatch);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void gzipAnswerDecompressesOnceToTheSameJson() throws Exception {
    HttpResponse<byte[]> plain = get(HttpClient.Version.HTTP_1_1, null, null);
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Encoding")).isNotEqualTo(java.util.Optional.of("gzip"));
    assertThat(plain.headers().firstValue("Vary").orElse("")).containsIgnoringCase("Accept-Encoding");
    String json = new String(plain.body(), StandardCharsets.UTF_8);
    assertThat(new JsonObject(json).getJsonArray("seats")).hasSize(100_000);

    for (HttpClient.Version version : HttpClient.Version.values()) {
      HttpResponse<byte[]> gz = get(version, "br;q=1.0, gzip;q=0.8", null);
      assertThat(gz.statusCode()).as("%s", version).isEqualTo(200);
      assertThat(gz.headers().firstValue("Content-Encoding")).as("%s", version).contains("gzip");
      assertThat(gz.headers().firstValue("Vary").orElse("")).containsIgnoringCase("Accept-Encoding");
      assertThat(gz.body().length).as("compressed size").isLessThan(plain.body().length / 5);
      assertThat(gunzip(gz.body())).as("%s: one gzip layer, same JSON", version).isEqualTo(json);
      assertThat(gz.headers().firstValue("ETag")).isNotEqualTo(plain.headers().firstValue("ETag"));
      System.out.printf("layout of 100,000 seats over %s: %d bytes plain, %d gzipped%n", version, plain.body().length,
          gz.body().length);
    }
  }

  @Test
  void revalidationWithEitherTagIsNotModified() throws Exception {
    String plainTag = get(HttpClient.Version.HTTP_1_1, null, null).headers().firstValue("ETag").orElseThrow();
    String gzipTag = get(HttpClient.Version.HTTP_1_1, "gzip", null).headers().firstValue("ETag").orElseThrow();
    for (String accept : new String[] {null, "gzip"}) {
      for (String tag : new String[] {plainTag, gzipTag}) {
        HttpResponse<byte[]> r = get(HttpClient.Version.HTTP_1_1, accept, tag);
        assertThat(r.statusCode()).as("%s / %s", accept, tag).isEqualTo(304);
        assertThat(r.body()).isEmpty();
      }
    }
    assertThat(get(HttpClient.Version.HTTP_1_1, "gzip", "\"layout-other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void acceptEncodingIsReadAsWritten() {
    assertThat(EventRoutes.acceptsGzip("gzip")).isTrue();
    assertThat(EventRoutes.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
    assertThat(EventRoutes.acceptsGzip("*")).isTrue();
    assertThat(EventRoutes.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(EventRoutes.acceptsGzip("gzip; q=0.000")).isFalse();
    assertThat(EventRoutes.acceptsGzip("br, identity")).isFalse();
    assertThat(EventRoutes.acceptsGzip(null)).isFalse();
    assertThat(EventRoutes.acceptsGzip("gzip;q=nonsense")).isFalse();
  }
}
