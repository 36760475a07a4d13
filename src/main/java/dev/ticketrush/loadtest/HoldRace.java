package dev.ticketrush.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many users racing for seats (mirror of k6/hold-conflicts.js), in two phases on two fresh events:
 * <ol>
 *   <li>{@code spread} (70% of the bounds): a 10,000-seat event, every connection a user holding random seats;
 *       a user at the per-user limit gives back its oldest seat first, so seats keep churning and the holds
 *       stay real races rather than a wall of {@code hold_limit} refusals. Operations {@code hold}, {@code release}.</li>
 *   <li>{@code contended}: few seats (50), the same crowd: mostly {@code 409 seat_unavailable}; a winner
 *       releases its seat on its next turn. Operations {@code hold:contended}, {@code release:contended}.</li>
 * </ol>
 * Expected answers: 201, 409 seat_unavailable / hold_limit, 204; anything else fails a check.
 */
final class HoldRace implements Scenario {
  static final int CONTENDED_SEATS = 50;

  @Override
  public String name() {
    return "hold-race";
  }

  @Override
  public Future<Void> run(ScenarioContext ctx) {
    int connections = ctx.options().connections();
    int users = Math.max(ctx.options().users(), connections);
    long spreadMs = ctx.duration().toMillis() * 7 / 10;
    long spreadRequests = Math.max(1, ctx.maxRequests() * 7 / 10);
    return ctx.createEvent("loadtest hold-race spread", ScenarioContext.tenThousandSeats(), null)
        .compose(spread -> ctx.createEvent("loadtest hold-race contended",
                List.<Object[]>of(new Object[] {"A", 1, CONTENDED_SEATS}), null)
            .compose(contended -> ctx.mintUsers("lt-race", users).compose(tokens -> {
              ctx.extra().put("users", users).put("events", new JsonObject()
                  .put("spread", spread.getLong("id")).put("contended", contended.getLong("id")));
              Phase p1 = new Phase(ctx, spread, tokens, connections, "");
              Budget b1 = new Budget(java.time.Duration.ofMillis(spreadMs), spreadRequests);
              long t1 = System.nanoTime();
              return ctx.runLoops(connections, b1, 1, p1::iteration).compose(v -> {
                double s1 = (System.nanoTime() - t1) / 1e9;
                Phase p2 = new Phase(ctx, contended, tokens, connections, ":contended");
                Budget b2 = new Budget(java.time.Duration.ofMillis(ctx.duration().toMillis() - spreadMs),
                    Math.max(1, ctx.maxRequests() - spreadRequests));
                long t2 = System.nanoTime();
                return ctx.runLoops(connections, b2, 1, p2::iteration).map(w -> {
                  ctx.extra().put("phaseSeconds", new JsonObject().put("spread", s1)
                      .put("contended", (System.nanoTime() - t2) / 1e9));
                  return null;
                });
              });
            })));
  }

  /** One phase: loop i serves users i, i+C, i+2C, ... in turn; each user's held seats are owned by that loop. */
  private static final class Phase {
    final ScenarioContext ctx;
    final long eventId;
    final int seatCount;
    final int maxSeats;
    final List<String> tokens;
    final int connections;
    final String suffix;
    final ArrayDeque<Integer>[] held;
    final int[] turn;

    @SuppressWarnings("unchecked")
    Phase(ScenarioContext ctx, JsonObject event, List<String> tokens, int connections, String suffix) {
      this.ctx = ctx;
      this.eventId = event.getLong("id");
      this.seatCount = event.getInteger("seatCount");
      this.maxSeats = event.getInteger("maxSeatsPerUser", 4);
      this.tokens = tokens;
      this.connections = connections;
      this.suffix = suffix;
      this.held = new ArrayDeque[tokens.size()];
      for (int i = 0; i < held.length; i++) {
        held[i] = new ArrayDeque<>();
      }
      this.turn = new int[connections];
    }

    Future<?> iteration(int loop) {
      int perLoop = Math.max(1, (tokens.size() - loop + connections - 1) / connections);
      int user = loop + (turn[loop]++ % perLoop) * connections;
      ArrayDeque<Integer> mine = held[user];
      String token = tokens.get(user);
      LoadRecorder rec = ctx.recorder();
      // Contended: a winner gives its seat back on its next turn; spread: only when at the per-user limit.
      if (!mine.isEmpty() && (mine.size() >= maxSeats || !suffix.isEmpty())) {
        int seat = mine.pollFirst();
        return ctx.api().release("release" + suffix, eventId, token, seat)
            .map(r -> rec.check("release own hold: 204", r.status() == 204));
      }
      int seat = 1 + ThreadLocalRandom.current().nextInt(seatCount);
      return ctx.api().hold("hold" + suffix, eventId, token, List.of(seat)).map(r -> {
        String code = r.code();
        rec.check("hold: 201 or 409 seat_unavailable/hold_limit", r.status() == 201
            || (r.status() == 409 && ("seat_unavailable".equals(code) || "hold_limit".equals(code))));
        if (r.status() == 201 && !mine.contains(seat)) {
          mine.addLast(seat);
        }
        return null;
      });
    }
  }
}
