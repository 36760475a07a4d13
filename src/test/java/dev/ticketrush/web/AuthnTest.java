package dev.ticketrush.web;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token verification against real Vert.x JWT signing: HS256, RS256, ES256 (keys generated here) and a JWKS served
 * by a small HTTP server on 127.0.0.1, including key rotation. No Redis or PostgreSQL involved.
 */
@ExtendWith(VertxExtension.class)
class AuthnTest {
  private static final String SECRET = "authn-test-secret-authn-test-secret";
  private static Vertx vertx;
  private static Context context;

  /** The Vert.x instance comes from VertxExtension, which closes it after the class. */
  @BeforeAll
  static void context(Vertx vertx) {
    AuthnTest.vertx = vertx;
    context = vertx.getOrCreateContext();
  }

  // --- HS256 ---

  @Test
  void hs256TokenWithExpIsAccepted() {
    Authn authn = start(TokenKeys.hs256(SECRET));
    Caller caller = accepted(authn, sign(hs256(SECRET), claims("alice").put("roles", new JsonArray().add("admin")), 60));
    assertThat(caller.userId()).isEqualTo("alice");
    assertThat(caller.isAdmin()).isTrue();
  }

  @Test
  void mintedDevTokenIsAccepted() {
    Authn authn = start(TokenKeys.hs256(SECRET));
    assertThat(accepted(authn, authn.mint("bob", null, 60)).userId()).isEqualTo("bob");
  }

  @Test
  void expiredTokenIsRefused() {
    Authn authn = start(TokenKeys.hs256(SECRET));
    long now = System.currentTimeMillis() / 1000;
    refused(authn, sign(hs256(SECRET), claims("alice").put("exp", now - 60).put("iat", now - 120), 0));
  }

  @Test
  void tokenWithoutExpIsRefused() {
    Authn authn = start(TokenKeys.hs256(SECRET));
    assertThat(refused(authn, sign(hs256(SECRET), claims("alice"), 0)).getMessage()).contains("exp");
  }

  @Test
  void tokenSignedWithAnotherSecretIsRefused() {
    refused(start(TokenKeys.hs256(SECRET)), sign(hs256("another-secret-another-secret-xyz"), claims("eve"), 60));
  }

  @Test
  void algNoneIsRefused() {
    Authn authn = start(TokenKeys.hs256(SECRET));
    long exp = System.currentTimeMillis() / 1000 + 60;
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String payload = b64(claims("eve").put("exp", exp).put("roles", new JsonArray().add("admin")).encode());
    refused(authn, header + "." + payload + ".");
    refused(authn, header + "." + payload);
  }

  @Test
  void issuerAndAudienceAreCheckedWhenConfigured() {
    Authn authn = start(new TokenKeys(SECRET, null, null, null, "https://idp.test", "ticket-rush"));
    Signer signer = hs256(SECRET);
    accepted(authn, sign(signer, claims("alice"), 60, o -> o.setIssuer("https://idp.test").setAudience(List.of("ticket-rush"))));
    refused(authn, sign(signer, claims("alice"), 60, o -> o.setIssuer("https://evil.test").setAudience(List.of("ticket-rush"))));
    refused(authn, sign(signer, claims("alice"), 60, o -> o.setIssuer("https://idp.test").setAudience(List.of("other-app"))));
    refused(authn, sign(signer, claims("alice"), 60, o -> o.setAudience(List.of("ticket-rush"))));
    refused(authn, sign(signer, claims("alice"), 60, o -> o.setIssuer("https://idp.test")));
    assertThat(accepted(authn, authn.mint("dev", null, 60)).userId()).as("dev tokens carry iss and aud").isEqualTo("dev");
  }

  @Test
  void withoutIssuerConfiguredAnyIssuerIsAccepted() {
    accepted(start(TokenKeys.hs256(SECRET)), sign(hs256(SECRET), claims("alice"), 60, o -> o.setIssuer("https://any.test")));
  }

  // --- public keys ---

  @Test
  void rs256WithThePublicKeyIsAccepted() throws Exception {
    KeyPair pair = rsa();
    Authn authn = start(new TokenKeys(null, publicPem(pair), "RS256", null, null, null));
    assertThat(accepted(authn, sign(signer("RS256", pair, null), claims("carol"), 60)).userId()).isEqualTo("carol");
    refused(authn, sign(signer("RS256", rsa(), null), claims("mallory"), 60));
  }

  @Test
  void es256WithThePublicKeyIsAccepted() throws Exception {
    KeyPair pair = ec();
    Authn authn = start(new TokenKeys(null, publicPem(pair), "ES256", null, null, null));
    assertThat(accepted(authn, sign(signer("ES256", pair, null), claims("dave"), 60)).userId()).isEqualTo("dave");
    refused(authn, sign(signer("ES256", ec(), null), claims("mallory"), 60));
  }

  @Test
  void hs256IsRefusedWhenOnlyAPublicKeyIsConfigured() throws Exception {
    KeyPair pair = rsa();
    String pem = publicPem(pair);
    Authn authn = start(new TokenKeys(null, pem, "RS256", null, null, null));
    refused(authn, sign(hs256(SECRET), claims("eve"), 60));
    // The classic confusion attack: HMAC with the (public) PEM text as the secret.
    refused(authn, sign(hs256(pem), claims("eve"), 60));
  }

  // --- JWKS ---

  @Test
  void jwksKeysAreAcceptedByKidAndRotationIsPickedUpOnAnUnknownKid() throws Exception {
    KeyPair k1 = rsa();
    KeyPair k2 = ec();
    KeyPair k3 = rsa();
    try (JwksServer idp = new JwksServer(jwk("k1", k1), jwk("k2", k2))) {
      Authn authn = start(jwksKeys(idp.url()), new JwksKeySet.Timing(Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(5)));
      assertThat(idp.fetches.get()).isEqualTo(1);
      assertThat(accepted(authn, sign(signer("RS256", k1, "k1"), claims("u1"), 60)).userId()).isEqualTo("u1");
      assertThat(accepted(authn, sign(signer("ES256", k2, "k2"), claims("u2"), 60)).userId()).isEqualTo("u2");
      assertThat(idp.fetches.get()).as("known kids need no fetch").isEqualTo(1);

      idp.serve(jwk("k2", k2), jwk("k3", k3));
      assertThat(accepted(authn, sign(signer("RS256", k3, "k3"), claims("u3"), 60)).userId()).isEqualTo("u3");
      assertThat(idp.fetches.get()).as("the unknown kid fetched the JWKS again").isEqualTo(2);

      // k1 was retired with that fetch; another unknown kid right after it does not fetch again (rate limit).
      refused(authn, sign(signer("RS256", k1, "k1"), claims("u1"), 60));
      refused(authn, sign(signer("RS256", rsa(), "k9"), claims("u9"), 60));
      assertThat(idp.fetches.get()).as("on-demand fetches are rate-limited").isEqualTo(2);
      authn.close();
    }
  }

  @Test
  void jwksIsRefreshedPeriodicallySoRetiredKeysStopWorking() throws Exception {
    KeyPair k1 = rsa();
    KeyPair k2 = rsa();
    try (JwksServer idp = new JwksServer(jwk("k1", k1), jwk("k2", k2))) {
      Authn authn = start(jwksKeys(idp.url()), new JwksKeySet.Timing(Duration.ofMillis(200), Duration.ofMinutes(1), Duration.ofSeconds(5)));
      String token = sign(signer("RS256", k1, "k1"), claims("u1"), 60);
      accepted(authn, token);
      idp.serve(jwk("k2", k2));
      assertThat(Await.until(() -> outcome(authn, token), refused -> refused != null, Duration.ofSeconds(10)))
          .as("k1 refused after a periodic refresh").isNotNull();
      accepted(authn, sign(signer("RS256", k2, "k2"), claims("u2"), 60));
      authn.close();
    }
  }

  @Test
  void withOnlyAJwksHs256AndSymmetricJwksKeysAreRefused() throws Exception {
    KeyPair k1 = rsa();
    JsonObject oct = new JsonObject().put("kty", "oct").put("kid", "h1").put("alg", "HS256")
        .put("k", Base64.getUrlEncoder().withoutPadding().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
    try (JwksServer idp = new JwksServer(jwk("k1", k1), oct)) {
      Authn authn = start(jwksKeys(idp.url()));
      refused(authn, sign(hs256(SECRET), claims("eve"), 60));
      refused(authn, sign(hs256WithKid(SECRET, "h1"), claims("eve"), 60));
      accepted(authn, sign(signer("RS256", k1, "k1"), claims("u1"), 60));
      authn.close();
    }
  }

  @Test
  void algNoneIsRefusedWhileTheJwksCannotBeFetched() throws Exception {
    // Vert.x alone treats a provider without any key as "unsecured" and would accept an unsigned token.
    HttpServer broken = vertx.createHttpServer().requestHandler(req -> req.response().setStatusCode(500).end());
    Await.result(broken.listen(0, "127.0.0.1"), Duration.ofSeconds(10));
    try {
      Authn authn = start(jwksKeys("http://127.0.0.1:" + broken.actualPort() + "/jwks"));
      long exp = System.currentTimeMillis() / 1000 + 60;
      String payload = b64(claims("eve").put("exp", exp).put("roles", new JsonArray().add("admin")).encode());
      refused(authn, b64("{\"alg\":\"none\"}") + "." + payload);
      refused(authn, b64("{\"alg\":\"none\"}") + "." + payload + ".");
      refused(authn, b64("{\"alg\":\"RS256\"}") + "." + payload);
      authn.close();
    } finally {
      Await.result(broken.close(), Duration.ofSeconds(10));
    }
  }

  // --- helpers ---

  private static TokenKeys jwksKeys(String url) {
    return new TokenKeys(null, null, null, url, null, null);
  }

  private static Authn start(TokenKeys keys) {
    return start(keys, JwksKeySet.Timing.DEFAULT);
  }

  private static Authn start(TokenKeys keys, JwksKeySet.Timing timing) {
    return onContext(() -> Authn.start(vertx, keys, timing));
  }

  private static Caller accepted(Authn authn, String token) {
    return onContext(() -> authn.verify(token));
  }

  /** The refusal (always 401 unauthorized), failing the test if the token was accepted. */
  private static Rejection refused(Authn authn, String token) {
    Rejection r = outcome(authn, token);
    assertThat(r).as("token refused").isNotNull();
    return r;
  }

  /** Null when accepted, else the refusal. */
  private static Rejection outcome(Authn authn, String token) {
    try {
      onContext(() -> authn.verify(token));
      return null;
    } catch (IllegalStateException e) {
      assertThat(e.getCause()).isInstanceOf(Rejection.class);
      Rejection r = (Rejection) e.getCause();
      assertThat(r.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
      return r;
    }
  }

  /** Runs on one Vert.x context, like a verticle would, and waits for the result. */
  private static <T> T onContext(Supplier<Future<T>> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> work.get().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.completeExceptionally(ar.cause());
      }
    }));
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject claims(String sub) {
    return new JsonObject().put("sub", sub);
  }

  /** Signs like an identity provider would: one key, one algorithm. */
  private record Signer(JWTAuth auth, String alg) {
  }

  private static String sign(Signer signer, JsonObject claims, int expiresIn) {
    return sign(signer, claims, expiresIn, o -> o);
  }

  /** {@code expiresIn} 0 leaves {@code exp} to the claims (absent or given). */
  private static String sign(Signer signer, JsonObject claims, int expiresIn, UnaryOperator<JWTOptions> extra) {
    JWTOptions options = new JWTOptions().setAlgorithm(signer.alg());
    if (expiresIn > 0) {
      options.setExpiresInSeconds(expiresIn);
    }
    return signer.auth().generateToken(claims, extra.apply(options));
  }

  private static Signer hs256(String secret) {
    return hs256WithKid(secret, null);
  }

  private static Signer hs256WithKid(String secret, String kid) {
    return signerOf("HS256", secret, kid);
  }

  /** A signer from a PKCS#8 private PEM, as an identity provider would hold it. */
  private static Signer signer(String alg, KeyPair pair, String kid) {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    return signerOf(alg, pem, kid);
  }

  private static Signer signerOf(String alg, String keyOrSecret, String kid) {
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(alg).setBuffer(keyOrSecret);
    if (kid != null) {
      key.setId(kid);
    }
    return new Signer(JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key)), alg);
  }

  private static String publicPem(KeyPair pair) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    return gen.generateKeyPair();
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return gen.generateKeyPair();
  }

  /** The public half as a JWK (RFC 7517/7518): n/e for RSA, crv/x/y for EC P-256. */
  private static JsonObject jwk(String kid, KeyPair pair) {
    JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig");
    if (pair.getPublic() instanceof RSAPublicKey rsa) {
      return jwk.put("kty", "RSA").put("alg", "RS256").put("n", b64(unsigned(rsa.getModulus(), 0)))
          .put("e", b64(unsigned(rsa.getPublicExponent(), 0)));
    }
    ECPublicKey ec = (ECPublicKey) pair.getPublic();
    // No "alg": providers may leave it out, and P-256 then means ES256.
    return jwk.put("kty", "EC").put("crv", "P-256").put("x", b64(unsigned(ec.getW().getAffineX(), 32)))
        .put("y", b64(unsigned(ec.getW().getAffineY(), 32)));
  }

  private static byte[] unsigned(BigInteger n, int length) {
    byte[] b = n.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    if (length > b.length) {
      byte[] padded = new byte[length];
      System.arraycopy(b, 0, padded, length - b.length, b.length);
      b = padded;
    }
    return b;
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  /** An identity provider's JWKS endpoint on 127.0.0.1 whose keys the test can swap; counts fetches. */
  private static final class JwksServer implements AutoCloseable {
    final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<JsonObject> body = new AtomicReference<>();
    private final HttpServer server;

    JwksServer(JsonObject... keys) throws Exception {
      serve(keys);
      server = vertx.createHttpServer().requestHandler(req -> {
        fetches.incrementAndGet();
        req.response().putHeader("Content-Type", "application/json").end(body.get().encode());
      });
      Await.result(server.listen(0, "127.0.0.1"), Duration.ofSeconds(10));
    }

    void serve(JsonObject... keys) {
      body.set(new JsonObject().put("keys", new JsonArray(List.of((Object[]) keys))));
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
    }

    @Override
    public void close() throws Exception {
      Await.result(server.close(), Duration.ofSeconds(10));
    }
  }
}
