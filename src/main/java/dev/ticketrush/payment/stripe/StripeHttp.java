package dev.ticketrush.payment.stripe;

import dev.ticketrush.payment.GatewayUnavailable;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stripe's HTTP conventions in one place: the bearer secret key, a pinned API version (so an account's default
 * version, changed in Stripe's dashboard, can never change what our calls mean), form-encoded POST bodies, JSON
 * answers, and a deadline on every call. Any call that ends without a JSON answer (timeout, lost connection, garbage) fails
 * with {@link GatewayUnavailable}: whether it took effect is unknown.
 */
final class StripeHttp {
  /** Connections to the gateway; charges are slow (hundreds of ms), so a rush needs many in flight. */
  private static final int POOL_SIZE = 64;
  /** The Stripe API version these calls are written against. */
  static final String STRIPE_VERSION = "2024-06-20";

  record Reply(int status, JsonObject body) {
    boolean ok() {
      return status == 200;
    }

    JsonObject error() {
      JsonObject error = body.getJsonObject("error");
      return error == null ? new JsonObject() : error;
    }

    String describe() {
      return status + " " + error().getString("type", "") + " " + error().getString("code", "") + ": "
          + error().getString("message", body.encode());
    }
  }

  private final WebClient client;
  private final String apiBase;
  private final String authorization;
  private final long timeoutMs;

  StripeHttp(Vertx vertx, String apiBase, String secretKey, long timeoutMs) {
    this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    this.authorization = "Bearer " + secretKey;
    this.timeoutMs = timeoutMs;
    this.client = WebClient.create(vertx,
        new WebClientOptions().setUserAgent("ticket-rush").setConnectTimeout((int) Math.min(timeoutMs, Integer.MAX_VALUE)),
        new PoolOptions().setHttp1MaxSize(POOL_SIZE));
  }

  /** A form-encoded POST; Stripe replays the first answer for a repeated {@code idempotencyKey}. */
  Future<Reply> post(String path, MultiMap form, String idempotencyKey) {
    HttpRequest<Buffer> request = request(HttpMethod.POST, path).putHeader("Idempotency-Key", idempotencyKey);
    return withDeadline("POST " + path, request.sendForm(form));
  }

  Future<Reply> get(String path, Map<String, String> query) {
    HttpRequest<Buffer> request = request(HttpMethod.GET, path);
    query.forEach(request::addQueryParam);
    return withDeadline("GET " + path, request.send());
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    // connectTimeout covers the wait for a pooled connection too: a request that did not get one within half
    // its budget fails there and is never sent, so no POST leaves late (after its caller gave up on it, or
    // after the purchase row's deadline, when the completer may already be settling it).
    return client.requestAbs(method, apiBase + path)
        .putHeader("Authorization", authorization)
        .putHeader("Stripe-Version", STRIPE_VERSION)
        .connectTimeout(Math.max(1, timeoutMs / 2))
        .timeout(timeoutMs);
  }

  /**
   * The request timeout ends a call whose server goes quiet; the future timeout also ends one that trickles
   * bytes or waits for a pooled connection, so every call is over after {@code timeoutMs} whatever happens.
   */
  private Future<Reply> withDeadline(String call, Future<HttpResponse<Buffer>> sent) {
    return sent.timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(new GatewayUnavailable("stripe: no answer to " + call + " within "
            + timeoutMs + " ms (" + e + ")", e)))
        .compose(response -> {
          try {
            return Future.succeededFuture(new Reply(response.statusCode(), new JsonObject(response.bodyAsString())));
          } catch (DecodeException | NullPointerException | ClassCastException notJson) {
            return Future.failedFuture(new GatewayUnavailable("stripe: " + call + " answered " + response.statusCode()
                + " without a JSON object", notJson));
          }
        });
  }
}
