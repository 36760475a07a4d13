package dev.ticketrush.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A user changes their mind (mirror of k6/seat-change.js): hold A (201, or 409 when taken), release A (204),
 * release A again (404 hold_not_found), hold B, release B (204). One user per connection, 10,000 seats.
 */
final class ObservedChange implements Scenario {
  @Override
  public String name() {
    return "seat-change";
  }

  @Override
  public Future<Void> run(ScenarioContext ctx) {
    int connections = ctx.options().connections();
    return ctx.createEvent("loadtest seat-change", ScenarioContext.tenThousandSeats(), null)
        .compose(event -> ctx.mintUsers("lt-change", connections).compose(tokens -> {
          long id = event.getLong("id");
          int seats = event.getInteger("seatCount");
          ctx.extra().put("users", connections).put("events", new JsonObject().put("seat-change", id));
          Budget budget = new Budget(ctx.duration(), ctx.maxRequests());
          return ctx.runLoops(connections, budget, 5, loop -> iteration(ctx, id, seats, tokens.get(loop)));
        }));
  }

  private static Future<?> iteration(ScenarioContext ctx, long id, int seatCount, String token) {
    ApiClient api = ctx.api();
    LoadRecorder rec = ctx.recorder();
    int a = 1 + ThreadLocalRandom.current().nextInt(seatCount);
    return api.hold("hold", id, token, List.of(a)).compose(ha -> {
      rec.check("hold A: 201 or 409 seat_unavailable", ha.status() == 201
          || (ha.status() == 409 && "seat_unavailable".equals(ha.code())));
      if (ha.status() != 201) {
        return Future.succeededFuture();
      }
      return api.release("release", id, token, a)
          .compose(ra -> {
            rec.check("release A: 204", ra.status() == 204);
            return api.release("release_again", id, token, a);
          })
          .compose(again -> {
            rec.check("release A again: 404 hold_not_found", again.status() == 404 && "hold_not_found".equals(again.code()));
            int b = 1 + ThreadLocalRandom.current().nextInt(seatCount);
            return api.hold("hold", id, token, List.of(b)).compose(hb -> {
              rec.check("hold B: 201 or 409 seat_unavailable", hb.status() == 201
                  || (hb.status() == 409 && "seat_unavailable".equals(hb.code())));
              if (hb.status() != 201) {
                return Future.succeededFuture();
              }
              rec.count("seat_changes", 1);
              return api.release("release", id, token, b).map(rb -> rec.check("release B: 204", rb.status() == 204));
            });
          });
    });
  }
}
