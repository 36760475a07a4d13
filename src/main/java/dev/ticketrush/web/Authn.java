package dev.ticketrush.web;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;

import java.util.HashSet;
import java.util.Set;

/** HS256 JWT: verifies bearer tokens and, in dev mode, mints them. */
public final class Authn {
  private static final String CALLER = "caller";
  private final JWTAuth jwt;

  public Authn(Vertx vertx, String secret) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
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
    return jwt.authenticate(new TokenCredentials(header.substring(7).trim()))
        .recover(err -> Future.failedFuture(Rejection.of(Outcome.UNAUTHORIZED, "the token is invalid or expired")))
        .compose(user -> {
          JsonObject claims = user.principal();
          String sub = claims.getString("sub");
          if (sub == null || sub.isBlank() || sub.length() > 128) {
            return Future.failedFuture(Rejection.of(Outcome.UNAUTHORIZED, "the token has no usable sub claim"));
          }
          Set<String> roles = new HashSet<>();
          Object r = claims.getValue("roles");
          if (r instanceof JsonArray a) {
            a.forEach(x -> roles.add(String.valueOf(x)));
          }
          Caller caller = new Caller(sub, Set.copyOf(roles));
          ctx.put(CALLER, caller);
          return Future.succeededFuture(caller);
        });
  }

  public Future<Caller> admin(RoutingContext ctx) {
    return caller(ctx).compose(c -> c.isAdmin()
        ? Future.succeededFuture(c)
        : Future.failedFuture(Rejection.of(Outcome.FORBIDDEN, "this needs the admin role")));
  }

  public String mint(String sub, JsonArray roles, int ttlSeconds) {
    return jwt.generateToken(new JsonObject().put("sub", sub).put("roles", roles == null ? new JsonArray() : roles),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(ttlSeconds));
  }
}
