package dev.ticketrush.broadcast;

import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;

/** Raw Redis commands from a test, to cause the faults a real deployment meets (trimmed logs, lost data). */
final class RedisProbe {
  private RedisProbe() {
  }

  static Response send(TestNode node, String command, String... args) {
    RedisLink link = new RedisLink(node.app().vertx(), node.app().config().redis().url());
    try {
      Request req = Request.cmd(Command.create(command));
      for (String a : args) {
        req.arg(a);
      }
      return Await.result(link.send(req), Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      throw new IllegalStateException(command + " failed", e);
    } finally {
      link.close();
    }
  }
}
