package dev.ticketrush.web;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies bearer JWTs into a {@link Caller} and, with an HS256 secret, mints dev tokens. Accepted: HS256 with
 * the secret, RS256/ES256 with the configured public key, and RS256/ES256 keys of a JWKS by {@code kid}. Every
 * token must carry {@code exp}; {@code alg: none} and algorithms without a configured key are refused;
 * {@code iss}/{@code aud} must match when configured.
 */
public final class Authn {
  private static final String CALLER = "caller";
  // Clock skew between the identity provider and this node, for exp/iat/nbf.
  private static final int LEEWAY_SECONDS = 5;

  private final Vertx vertx;
  private final TokenKeys keys;
  private final JwksKeySet jwks;
  private final Set<String> algorithms;
  // Rebuilt (not mutated) when the JWKS changes, so a verification in progress sees one consistent key set.
  private JWTAuth jwt;
  private final VerifiedTokens verified = new VerifiedTokens();

  /** HS256 only, no start step: dev-token minting in tests and tools. */
  public Authn(Vertx vertx, String hs256Secret) {
    this(vertx, TokenKeys.hs256(hs256Secret), null);
  }

  private Authn(Vertx vertx, TokenKeys keys, JwksKeySet.Timing timing) {
    this.vertx = vertx;
    this.keys = keys;
    this.jwt = build(List.of());
    this.jwks = keys.jwksUrl() == null ? null
        : new JwksKeySet(vertx, keys.jwksUrl(), timing, fetched -> {
          this.jwt = build(fetched);
          verified.clear(); // a retired key's tokens must stop working at once
        });
    this.algorithms = acceptedAlgorithms(keys);
  }

  /** An Authn for these keys; with a JWKS URL the keys are fetched first. Call on the event loop that uses it. */
  public static Future<Authn> start(Vertx vertx, TokenKeys keys) {
    return start(vertx, keys, JwksKeySet.Timing.DEFAULT);
  }

  static Future<Authn> start(Vertx vertx, TokenKeys keys, JwksKeySet.Timing timing) {
    Authn authn = new Authn(vertx, keys, timing);
    return authn.jwks == null ? Future.succeededFuture(authn) : authn.jwks.start().map(authn);
  }

  private JWTAuth build(List<JsonObject> jwksKeys) {
    JWTOptions checks = new JWTOptions().setLeeway(LEEWAY_SECONDS);
    if (keys.issuer() != null) {
      checks.setIssuer(keys.issuer());
    }
    if (keys.audience() != null) {
      checks.setAudience(List.of(keys.audience()));
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(checks);
    if (keys.hs256Secret() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(keys.hs256Secret()));
    }
    if (keys.publicKeyPem() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(keys.publicKeyAlgorithm()).setBuffer(keys.publicKeyPem()));
    }
    if (!jwksKeys.isEmpty()) {
      options.setJwks(jwksKeys);
    }
    return JWTAuth.create(vertx, options);
  }

  /** The request's caller, or a failed future with 401 {@code unauthorized}. Cached on the context. */
  public Future<Caller> caller(RoutingContext ctx) {
    Caller cached = ctx.get(CALLER);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      return Future.failedFuture(Rejection.of(Outcome.UNAUTHORIZED, "send Authorization: Bearer <token>"));
    }
    return verify(header.substring(7).trim()).onSuccess(caller -> ctx.put(CALLER, caller));
  }

  /** Verifies one token: the caller, or a failed future with 401 {@code unauthorized}. */
  public Future<Caller> verify(String token) {
    long now = System.currentTimeMillis();
    Caller known = verified.get(token, now);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    JsonObject header = header(token);
    String alg = header == null ? null : header.getValue("alg") instanceof String a ? a : null;
    // Our own allow-list before Vert.x sees the token: Vert.x treats a provider without keys (a JWKS not fetched
    // yet) as "unsecured" and would then take an unsigned alg-none token at its word.
    if (alg == null || !algorithms.contains(alg) || token.endsWith(".") || token.split("\\.").length != 3) {
      return Future.failedFuture(Rejection.of(Outcome.UNAUTHORIZED, "the token is invalid or expired"));
    }
    String kid = header.getValue("kid") instanceof String k ? k : null;
    Future<Void> keysReady = jwks != null && kid != null && !jwks.knows(kid)
        ? jwks.refreshForUnknownKid()
        : Future.succeededFuture();
    return keysReady
        .compose(v -> jwt.authenticate(new TokenCredentials(token)))
        .recover(err -> Future.failedFuture(Rejection.of(Outcome.UNAUTHORIZED, "the token is invalid or expired")))
        .compose(user -> toCaller(user).onSuccess(caller ->
            verified.put(token, caller, ((Number) claim(user, "exp")).longValue() * 1000, now)));
  }

  /** Only algorithms we hold a key for: HS256 with the secret, the public key's, RS256/ES256 from a JWKS. */
  private static Set<String> acceptedAlgorithms(TokenKeys keys) {
    Set<String> algs = new HashSet<>();
    if (keys.hs256Secret() != null) {
      algs.add("HS256");
    }
    if (keys.publicKeyPem() != null) {
      algs.add(keys.publicKeyAlgorithm());
    }
    if (keys.jwksUrl() != null) {
      algs.add("RS256");
      algs.add("ES256");
    }
    return Set.copyOf(algs);
  }

  private static Future<Caller> toCaller(User user) {
    JsonObject claims = user.principal();
    if (!(claim(user, "exp") instanceof Number)) {
      // A token without exp would be valid forever, whoever leaked it.
      return Future.failedFuture(Rejection.of(Outcome.UNAUTHORIZED, "the token has no exp claim"));
    }
    String sub = claims.getString("sub");
    if (sub == null || sub.isBlank() || sub.length() > 128) {
      return Future.failedFuture(Rejection.of(Outcome.UNAUTHORIZED, "the token has no usable sub claim"));
    }
    Set<String> roles = new HashSet<>();
    Object r = claims.getValue("roles");
    if (r instanceof JsonArray a) {
      a.forEach(x -> roles.add(String.valueOf(x)));
    }
    return Future.succeededFuture(new Caller(sub, Set.copyOf(roles)));
  }

  private static Object claim(User user, String name) {
    Object v = user.principal().getValue(name);
    if (v == null && user.attributes() != null && user.attributes().getValue("accessToken") instanceof JsonObject at) {
      v = at.getValue(name);
    }
    return v;
  }

  /** The token's JOSE header, or null when it is not one (verification then refuses the token). */
  private static JsonObject header(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0 || dot > 4096) {
      return null;
    }
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  public Future<Caller> admin(RoutingContext ctx) {
    return caller(ctx).compose(c -> c.isAdmin()
        ? Future.succeededFuture(c)
        : Future.failedFuture(Rejection.of(Outcome.FORBIDDEN, "this needs the admin role")));
  }

  /** An HS256 token (dev tokens); needs the secret. */
  public String mint(String sub, JsonArray roles, int ttlSeconds) {
    if (keys.hs256Secret() == null) {
      throw new IllegalStateException("minting needs an HS256 secret (TICKETRUSH_JWT_SECRET)");
    }
    JWTOptions options = new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(ttlSeconds);
    if (keys.issuer() != null) {
      options.setIssuer(keys.issuer());
    }
    if (keys.audience() != null) {
      options.setAudience(List.of(keys.audience()));
    }
    return jwt.generateToken(new JsonObject().put("sub", sub).put("roles", roles == null ? new JsonArray() : roles),
        options);
  }

  /** Stops the JWKS refresh timer. */
  public void close() {
    if (jwks != null) {
      jwks.close();
    }
  }
}
