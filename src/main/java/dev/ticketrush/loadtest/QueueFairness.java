package dev.ticketrush.loadtest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The waiting room's fairness, measured as a fan would (scenario {@code queue}). One fresh event with a
 * waiting room, proof of work ({@link #DIFFICULTY} bits) and a sale start a few seconds ahead. Half the users
 * join before the sale (the pre-queue: a verifiable draw), the rest after it, one after another (first come,
 * first served). Every tenth user first tries a wrong nonce and then replays its spent challenge, as a bot
 * would. Report ({@code fairness} in the run's extra results):
 * <ul>
 *   <li>{@code drawVerified}: GET /queue/draw recomputed here (commitment, and each entrant's HMAC value);</li>
 *   <li>{@code displacement}: for each user, |served place − expected place|, where the expected place is
 *       the draw rank for the pre-queue and (pre-queue size + send order) for later arrivals; mean, max and the
 *       share of users not exactly in place. The served place is {@code serving + position} of a waiting
 *       answer, the order admission follows;</li>
 *   <li>{@code refused}: shares of all queue requests refused with {@code challenge_failed}, {@code rate_limited}
 *       or {@code access_code_invalid}.</li>
 * </ul>
 */
final class QueueFairness implements Scenario {
  static final int DIFFICULTY = 8;
  static final long SALE_DELAY_MS = 4_000;

  private final AtomicLong requests = new AtomicLong();
  private final Map<String, AtomicLong> refused = new HashMap<>();

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public Future<Void> run(ScenarioContext ctx) {
    int users = Math.max(20, Math.min(ctx.options().users(), 2_000));
    String run = Long.toString(System.currentTimeMillis(), 36);
    String[] names = new String[users];
    List<Future<String>> minted = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      names[i] = "lt-queue-" + run + "-" + i; // known here, to recompute the draw
      minted.add(ctx.api().devToken(names[i], false));
    }
    long[] saleAt = new long[1];
    // Users first, then the event: the sale starts a fixed time after its creation, whatever minting took.
    return Future.all(minted).map(f -> minted.stream().map(Future::result).toList())
        .compose(tokens -> {
          saleAt[0] = System.currentTimeMillis() + SALE_DELAY_MS;
          JsonObject queue = new JsonObject().put("enabled", true).put("admitPerSecond", Math.max(10, users / 10))
              .put("maxActive", users).put("proofOfWork", DIFFICULTY)
              .put("saleStartsAt", java.time.Instant.ofEpochMilli(saleAt[0]).toString());
          return ctx.createEvent("loadtest queue fairness", List.<Object[]>of(new Object[] {"A", 10, 50}),
              new JsonObject().put("queue", queue)).map(event -> new Object[] {event, tokens, names});
        })
        .compose(parts -> {
          JsonObject event = (JsonObject) parts[0];
          @SuppressWarnings("unchecked")
          List<String> tokens = (List<String>) parts[1];
          long eventId = event.getLong("id");
          int early = users / 2;
          long[] place = new long[users];
          // The pre-queue joins concurrently; later arrivals one by one, so their send order is their arrival.
          List<Future<?>> pre = new ArrayList<>();
          for (int i = 0; i < early; i++) {
            int u = i;
            pre.add(join(ctx, eventId, tokens.get(u), u % 10 == 0).map(p -> place[u] = p));
          }
          return Future.all(pre)
              .compose(v -> waitUntil(ctx, saleAt[0] + 1_000))
              .compose(v -> joinInTurn(ctx, eventId, tokens, place, early, u -> u % 10 == 0))
              .compose(v -> ctx.api().send("queue_draw", HttpMethod.GET, "/api/events/" + eventId + "/queue/draw", null, null, null))
              .compose(d -> placesAfterDraw(ctx, eventId, tokens, place, early).map(v -> {
                ctx.extra().put("fairness", report(d.json(), names, place, early));
                return null;
              }));
        });
  }

  /** Pre-queue places are provisional until the draw: read them again once it happened. */
  private Future<Void> placesAfterDraw(ScenarioContext ctx, long eventId, List<String> tokens, long[] place, int early) {
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < early; i++) {
      int u = i;
      all.add(call(ctx, "queue_me", HttpMethod.GET, eventId, "/queue/me", tokens.get(u), null).map(r -> {
        JsonObject j = r.json();
        place[u] = j != null && !j.getBoolean("admitted", false) ? j.getLong("serving") + j.getLong("position") : -1;
        return null;
      }));
    }
    return Future.all(all).mapEmpty();
  }

  private Future<Void> joinInTurn(ScenarioContext ctx, long eventId, List<String> tokens, long[] place, int from,
                                  java.util.function.IntPredicate bot) {
    if (from >= tokens.size()) {
      return Future.succeededFuture();
    }
    return join(ctx, eventId, tokens.get(from), bot.test(from)).compose(p -> {
      place[from] = p;
      return joinInTurn(ctx, eventId, tokens, place, from + 1, bot);
    });
  }

  /** Challenge, solve, join; a bot also sends a wrong nonce first and replays afterwards. Answers the place. */
  private Future<Long> join(ScenarioContext ctx, long eventId, String token, boolean bot) {
    return call(ctx, "queue_challenge", HttpMethod.GET, eventId, "/queue/challenge", token, null).compose(c -> {
      String challenge = c.json().getString("challenge");
      String nonce = solve(challenge, DIFFICULTY, true);
      Buffer body = new JsonObject().put("challenge", challenge).put("nonce", nonce).toBuffer();
      Future<?> before = bot
          ? call(ctx, "queue_join", HttpMethod.POST, eventId, "/queue", token,
              new JsonObject().put("challenge", challenge).put("nonce", solve(challenge, DIFFICULTY, false)).toBuffer())
          : Future.succeededFuture();
      return before.compose(x -> call(ctx, "queue_join", HttpMethod.POST, eventId, "/queue", token, body)).compose(r -> {
        JsonObject j = r.json();
        long p = j != null && j.containsKey("position") ? j.getLong("serving") + j.getLong("position") : -1;
        Future<?> replay = bot ? call(ctx, "queue_join", HttpMethod.POST, eventId, "/queue", token, body) : Future.succeededFuture();
        return replay.map(x -> p);
      });
    });
  }

  private Future<ApiClient.Reply> call(ScenarioContext ctx, String op, HttpMethod method, long eventId, String path,
                                       String token, Buffer body) {
    requests.incrementAndGet();
    return ctx.api().send(op, method, "/api/events/" + eventId + path, token, body, null).map(r -> {
      String code = r.code();
      if ("challenge_failed".equals(code) || "rate_limited".equals(code) || "access_code_invalid".equals(code)) {
        synchronized (refused) {
          refused.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
        }
      }
      return r;
    });
  }

  private static Future<Void> waitUntil(ScenarioContext ctx, long atMs) {
    long wait = Math.max(1, atMs - System.currentTimeMillis());
    return Future.future(p -> ctx.vertx().setTimer(wait, t -> p.complete()));
  }

  private JsonObject report(JsonObject draw, String[] names, long[] place, int early) {
    HexFormat hex = HexFormat.of();
    boolean verified = false;
    Map<String, Integer> rank = new HashMap<>();
    if (draw != null && draw.getString("secret") != null) {
      byte[] secret = hex.parseHex(draw.getString("secret"));
      verified = hex.formatHex(sha256(secret)).equals(draw.getString("commitment"));
      JsonArray order = draw.getJsonArray("order");
      for (int i = 0; i < order.size(); i++) {
        rank.put(order.getString(i), i);
      }
      for (int u = 0; u < early; u++) {
        Integer r = rank.get(hmac(secret, names[u]));
        verified &= r != null;
      }
    }
    long sum = 0;
    long max = 0;
    int off = 0;
    int measured = 0;
    for (int u = 0; u < place.length; u++) {
      if (place[u] < 0) {
        continue; // admitted before its place was read
      }
      long expected = u < early
          ? rank.getOrDefault(draw == null || draw.getString("secret") == null ? "" : hmac(hex.parseHex(draw.getString("secret")), names[u]), -1)
          : early + (u - early);
      long d = Math.abs(place[u] - expected);
      sum += d;
      max = Math.max(max, d);
      off += d == 0 ? 0 : 1;
      measured++;
    }
    JsonObject shares = new JsonObject();
    long total = requests.get();
    synchronized (refused) {
      for (String code : List.of("challenge_failed", "rate_limited", "access_code_invalid")) {
        long n = refused.getOrDefault(code, new AtomicLong()).get();
        shares.put(code, new JsonObject().put("count", n).put("share", total == 0 ? 0.0 : (double) n / total));
      }
    }
    return new JsonObject()
        .put("users", place.length).put("preQueue", early).put("difficultyBits", DIFFICULTY)
        .put("drawVerified", verified)
        .put("displacement", new JsonObject().put("measured", measured)
            .put("mean", measured == 0 ? 0.0 : (double) sum / measured).put("max", max)
            .put("shareOutOfPlace", measured == 0 ? 0.0 : (double) off / measured))
        .put("queueRequests", total)
        .put("refused", shares);
  }

  /** A nonce whose SHA-256(challenge + nonce) starts with {@code bits} zero bits ({@code valid}) or does not. */
  static String solve(String challenge, int bits, boolean valid) {
    for (long n = 0; ; n++) {
      byte[] h = sha256((challenge + n).getBytes(StandardCharsets.UTF_8));
      boolean ok = true;
      for (int b = 0; b < bits && ok; b++) {
        ok = (h[b / 8] >> (7 - b % 8) & 1) == 0;
      }
      if (ok == valid) {
        return Long.toString(n);
      }
    }
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hmac(byte[] key, String user) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
