package dev.ticketrush.loadtest;

import dev.ticketrush.loadtest.ApiClient.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Users hold seats and buy them (mirror of k6/payment-race.js). One iteration, at most five requests:
 * <ul>
 *   <li>hold one or two random adjacent seats (201, or 409 when someone else has them);</li>
 *   <li>90%: {@code POST /orders} with a fresh {@code Idempotency-Key}, sent twice at once (exactly one fresh 201;
 *       the twin is the same answer replayed or 409 request_in_progress); the same key again (same status, identical
 *       body, {@code Idempotent-Replayed: true}); the same seats under a new key (409: they are sold);</li>
 *   <li>10%: {@code paymentToken: tok_declined} (402 payment_declined), its replay, then both holds released.</li>
 * </ul>
 * Every confirmed order a client sees is kept for the oversell verification.
 */
final class PaymentRace implements Scenario {
  static final double DECLINED_SHARE = 0.10;

  @Override
  public String name() {
    return "payment-race";
  }

  @Override
  public Future<Void> run(ScenarioContext ctx) {
    int connections = ctx.options().connections();
    int users = Math.max(ctx.options().users(), connections);
    return ctx.createEvent("loadtest payment-race", ScenarioContext.tenThousandSeats(), null)
        .compose(event -> ctx.mintUsers("lt-buyer", users).compose(tokens -> {
          long id = event.getLong("id");
          int seatCount = event.getInteger("seatCount");
          ctx.extra().put("users", users).put("events", new JsonObject().put("payment-race", id));
          ctx.buyers().addAll(tokens);
          int[] turn = new int[connections];
          Budget budget = new Budget(ctx.duration(), ctx.maxRequests());
          return ctx.runLoops(connections, budget, 5, loop -> {
            int perLoop = Math.max(1, (users - loop + connections - 1) / connections);
            String token = tokens.get(loop + (turn[loop]++ % perLoop) * connections);
            return iteration(ctx, id, seatCount, token);
          });
        }));
  }

  private static Future<?> iteration(ScenarioContext ctx, long id, int seatCount, String token) {
    ApiClient api = ctx.api();
    LoadRecorder rec = ctx.recorder();
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    int a = 1 + rnd.nextInt(seatCount);
    List<Integer> seats = rnd.nextBoolean() || a == seatCount ? List.of(a) : List.of(a, a + 1);
    boolean decline = rnd.nextDouble() < DECLINED_SHARE;
    return api.hold("hold", id, token, seats).compose(h -> {
      rec.check("hold: 201 or 409", h.status() == 201 || h.status() == 409);
      if (h.status() != 201) {
        return Future.<Void>succeededFuture();
      }
      String key = UUID.randomUUID().toString();
      Buffer body = ApiClient.seatsBody(seats, decline ? "tok_declined" : "tok_ok");
      return (decline ? declined(ctx, id, token, seats, key, body) : buy(ctx, id, token, seats, key, body)).mapEmpty();
    });
  }

  private static Future<?> declined(ScenarioContext ctx, long id, String token, List<Integer> seats, String key, Buffer body) {
    ApiClient api = ctx.api();
    LoadRecorder rec = ctx.recorder();
    return api.order("order", id, token, key, body).compose(first -> {
      rec.check("declined payment: 402 payment_declined", first.status() == 402 && "payment_declined".equals(first.code()));
      confirmedIn(ctx, id, first);
      return api.order("order_retry", id, token, key, body).compose(again -> {
        rec.check("retry same key: same status", again.status() == first.status());
        rec.check("retry same key: identical body", again.body() != null && again.body().equals(first.body()));
        rec.check("retry same key: Idempotent-Replayed: true", "true".equals(again.header("Idempotent-Replayed")));
        return releaseAll(ctx, id, token, seats);
      });
    });
  }

  private static Future<?> buy(ScenarioContext ctx, long id, String token, List<Integer> seats, String key, Buffer body) {
    ApiClient api = ctx.api();
    LoadRecorder rec = ctx.recorder();
    // The same purchase twice at once: a double click, or a client retrying while the first is in flight.
    Future<Reply> x = api.order("order", id, token, key, body);
    Future<Reply> y = api.order("order_twin", id, token, key, body);
    return Future.join(x, y).compose(v -> {
      List<Reply> fresh = new ArrayList<>();
      for (Reply r : List.of(x.result(), y.result())) {
        if (r.status() == 201 && !"true".equals(r.header("Idempotent-Replayed"))) {
          fresh.add(r);
        }
        confirmedIn(ctx, id, r);
      }
      rec.check("order twins: exactly one fresh 201", fresh.size() == 1);
      Reply first = fresh.isEmpty() ? x.result() : fresh.get(0);
      Reply twin = first == x.result() ? y.result() : x.result();
      rec.check("order twin: replay of the first or 409 request_in_progress",
          (twin.status() == first.status() && twin.body() != null && twin.body().equals(first.body()))
              || (twin.status() == 409 && "request_in_progress".equals(twin.code())));
      JsonObject order = confirmedBody(first);
      if (order == null) {
        rec.count("orders_not_confirmed", 1);
        return releaseAll(ctx, id, token, seats);
      }
      rec.check("order: seats as requested", seats.equals(intList(order.getJsonArray("seats"))));
      return api.order("order_retry", id, token, key, body).compose(again -> {
        rec.check("retry same key: same status", again.status() == first.status());
        rec.check("retry same key: identical body", again.body() != null && again.body().equals(first.body()));
        rec.check("retry same key: Idempotent-Replayed: true", "true".equals(again.header("Idempotent-Replayed")));
        return api.order("order_duplicate", id, token, UUID.randomUUID().toString(), body);
      }).map(dup -> {
        rec.check("duplicate purchase with a new key: 409", dup.status() == 409);
        if (confirmedIn(ctx, id, dup)) {
          rec.count("double_sales", 1);
        }
        return null;
      });
    });
  }

  /** Remembers a confirmed order seen in an answer; true when the answer was one. */
  private static boolean confirmedIn(ScenarioContext ctx, long eventId, Reply r) {
    JsonObject o = confirmedBody(r);
    if (o == null) {
      return false;
    }
    Map<String, OversellCheck.ConfirmedOrder> orders = ctx.confirmed(eventId);
    String orderId = String.valueOf(o.getValue("orderId"));
    orders.putIfAbsent(orderId, new OversellCheck.ConfirmedOrder(orderId, intList(o.getJsonArray("seats"))));
    return true;
  }

  private static JsonObject confirmedBody(Reply r) {
    if (r.status() != 201) {
      return null;
    }
    try {
      JsonObject o = r.json();
      return "CONFIRMED".equals(o.getString("status")) && o.getJsonArray("seats") != null ? o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Future<?> releaseAll(ScenarioContext ctx, long id, String token, List<Integer> seats) {
    List<Future<Reply>> all = new ArrayList<>();
    for (int s : seats) {
      all.add(ctx.api().release("release", id, token, s));
    }
    return Future.join(all);
  }

  static List<Integer> intList(JsonArray a) {
    List<Integer> l = new ArrayList<>();
    if (a != null) {
      for (int i = 0; i < a.size(); i++) {
        l.add(a.getInteger(i));
      }
    }
    return l;
  }
}
