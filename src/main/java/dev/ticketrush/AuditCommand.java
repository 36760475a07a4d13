package dev.ticketrush;

import dev.ticketrush.config.AppConfig;
import dev.ticketrush.infra.Database;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisEndpoint;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.order.SaleAudit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar ticket-rush.jar audit --event N}: the same report as {@code GET /api/events/N/audit}, for
 * operators after a sale, against the configured Redis, PostgreSQL (TICKETRUSH_REDIS_URL / _PG_URL) and payment
 * gateway (its charges side by side with the purchases). Prints
 * the report as JSON; exits 0 when it is clean, 2 when it lists mismatches, 1 when it could not run.
 */
final class AuditCommand {
  private AuditCommand() {
  }

  static int run(String[] args, AppConfig config) {
    long eventId = -1;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--event")) {
        eventId = Long.parseLong(args[i + 1]);
      }
    }
    if (eventId < 1 || config.redis().url() == null || config.postgres().url() == null) {
      System.err.println("usage: TICKETRUSH_REDIS_URL=... TICKETRUSH_PG_URL=... java -jar ticket-rush.jar audit --event N");
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    RedisLink redis = new RedisLink(vertx, RedisEndpoint.of(config.redis().mode(), config.redis().url(),
        config.redis().masterName()));
    Pool pool = Database.pool(vertx, config.postgres().url(), 2);
    long id = eventId;
    try {
      SaleAudit audit = new SaleAudit(pool, ev -> redis.send(Request.cmd(Command.SMEMBERS).arg(Keyspace.sold(ev))).map(r -> {
        List<Integer> seats = new ArrayList<>();
        if (r != null) {
          r.forEach(s -> seats.add(s.toInteger()));
        }
        return seats;
      }), TicketRush.paymentGateway(vertx, pool, config));
      // Runs on this (non event-loop) main thread, so waiting for the answer is fine.
      JsonObject report = audit.audit(id).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      System.out.println(report.encodePrettily());
      return report.getBoolean("ok") ? 0 : 2;
    } catch (Exception e) {
      System.err.println("audit failed: " + e);
      return 1;
    } finally {
      redis.close();
      // Closing Vert.x closes the pool with it; this runs on the command's main thread, never an event loop.
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  static AppConfig config() {
    return AppConfig.load(Path.of(System.getProperty("ticketrush.conf", "conf")), System.getenv());
  }
}
