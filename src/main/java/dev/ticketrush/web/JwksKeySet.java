package dev.ticketrush.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The signing keys an identity provider publishes at its JWKS URL. Fetched at start, again every
 * {@code refreshEvery} (keys are rotated and retired), and when a token names a {@code kid} we do not know yet —
 * at most once per {@code minRefetchGap}, so tokens with made-up kids cannot turn us into a load generator
 * against the provider. Lives on one event loop (one per {@link HttpVerticle} instance): no locking.
 */
final class JwksKeySet {
  private static final Logger log = LoggerFactory.getLogger(JwksKeySet.class);

  /** How often keys are fetched. */
  record Timing(Duration refreshEvery, Duration minRefetchGap, Duration requestTimeout) {
    static final Timing DEFAULT = new Timing(Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(5));
  }

  private final Vertx vertx;
  private final String url;
  // For log lines: without user info or query, which may carry credentials.
  private final String shownUrl;
  private final Timing timing;
  private final Consumer<List<JsonObject>> onKeys;
  private final WebClient client;
  private Set<String> kids = Set.of();
  private long lastOnDemandFetchMs = Long.MIN_VALUE / 2;
  private Future<Void> inFlight;
  private long timerId = -1;

  /** {@code onKeys} receives every successfully fetched key list (signature keys of type RSA or EC only). */
  JwksKeySet(Vertx vertx, String url, Timing timing, Consumer<List<JsonObject>> onKeys) {
    this.vertx = vertx;
    this.url = url;
    java.net.URI uri = java.net.URI.create(url);
    this.shownUrl = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getPath() == null ? "" : uri.getPath());
    this.timing = timing;
    this.onKeys = onKeys;
    this.client = WebClient.create(vertx);
  }

  /**
   * The first fetch and the refresh timer. A provider that is down at start does not stop the node: tokens are
   * refused (401) until a later fetch succeeds, and the failure is logged.
   */
  Future<Void> start() {
    timerId = vertx.setPeriodic(timing.refreshEvery().toMillis(), id -> fetch());
    return fetch().recover(err -> Future.succeededFuture());
  }

  boolean knows(String kid) {
    return kids.contains(kid);
  }

  /** Fetches again for a token with an unknown {@code kid}, unless that happened within the minimum gap. */
  Future<Void> refreshForUnknownKid() {
    long now = System.currentTimeMillis();
    if (inFlight == null && now - lastOnDemandFetchMs < timing.minRefetchGap().toMillis()) {
      return Future.succeededFuture();
    }
    if (inFlight == null) {
      lastOnDemandFetchMs = now;
    }
    return fetch().recover(err -> Future.succeededFuture());
  }

  /** Single flight: requests arriving while a fetch runs wait for that fetch. */
  private Future<Void> fetch() {
    if (inFlight != null) {
      return inFlight;
    }
    Future<Void> f = client.getAbs(url)
        .timeout(timing.requestTimeout().toMillis())
        .as(BodyCodec.jsonObject())
        .send()
        .compose(resp -> {
          if (resp.statusCode() != 200 || resp.body() == null) {
            return Future.failedFuture("JWKS answered HTTP " + resp.statusCode());
          }
          List<JsonObject> keys = signatureKeys(resp.body().getJsonArray("keys", new JsonArray()));
          kids = keys.stream().map(k -> k.getString("kid")).filter(k -> k != null).collect(Collectors.toUnmodifiableSet());
          onKeys.accept(keys);
          return Future.<Void>succeededFuture();
        })
        .onFailure(err -> log.warn("cannot fetch the JWKS from {}: {}", shownUrl, err.getMessage()))
        .eventually(() -> {
          inFlight = null;
          return Future.succeededFuture();
        });
    inFlight = f;
    return f;
  }

  /**
   * Only asymmetric signature keys: an {@code oct} (HMAC) key in a JWKS would let whoever can read that public
   * document sign tokens.
   */
  static List<JsonObject> signatureKeys(JsonArray keys) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : keys) {
      if (!(o instanceof JsonObject k) || "enc".equals(k.getString("use"))) {
        continue;
      }
      // Providers may leave out "alg"; the key type and curve say which one it signs with.
      if ("RSA".equals(k.getString("kty"))) {
        out.add(k.copy().put("alg", k.getString("alg", "RS256")));
      } else if ("EC".equals(k.getString("kty")) && "P-256".equals(k.getString("crv"))) {
        out.add(k.copy().put("alg", k.getString("alg", "ES256")));
      }
    }
    return out;
  }

  void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    client.close();
  }
}
