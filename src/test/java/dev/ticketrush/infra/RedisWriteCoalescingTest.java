package dev.ticketrush.infra;

import dev.ticketrush.support.Await;
import dev.ticketrush.support.SilentProxy;
import dev.ticketrush.support.TestServices;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands sent on a {@link RedisLink} during one event-loop turn leave in one socket write
 * ({@link RedisConnections#coalesceWrites}), against real Redis. What goes out is read at the head of the
 * connection's Netty pipeline, where each flush becomes a write system call.
 */
@ExtendWith(VertxExtension.class)
class RedisWriteCoalescingTest {
  static final LuaScript PROBE = LuaScript.load("coalesce-probe");
  static final int CALLERS = 90;

  @Test
  @DisplayName("commands sent in one event-loop turn leave in one write; each caller gets its own reply or failure, a NOSCRIPT fallback included")
  void oneTurnOneWrite(Vertx vertx) throws Exception {
    Context loop = vertx.getOrCreateContext();
    RedisLink link = on(loop, () -> Future.succeededFuture(new RedisLink(vertx, TestServices.redisUrl())));
    try {
      FlushLog flushes = FlushLog.install(on(loop, link::connected));
      String key = "test:coalesce:" + UUID.randomUUID();
      // Every EVALSHA of the turn meets NOSCRIPT (as after a Redis restart) and falls back to EVAL on its own.
      Await.result(link.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));

      flushes.clear();
      Response lone = on(loop, () -> link.send(Request.cmd(Command.ECHO).arg("alone")));
      assertThat(lone.toString()).isEqualTo("alone");
      assertThat(flushes.writes()).as("writes per flush: a lone command leaves on its own").containsExactly(1);

      flushes.clear();
      List<Future<Response>> answers = on(loop, () -> Future.succeededFuture(sendMixed(link, key)));
      for (int i = 0; i < CALLERS; i++) {
        Future<Response> answer = answers.get(i);
        switch (i % 3) {
          case 0 -> assertThat(Await.result(answer).get(0).toString()).isEqualTo("caller-" + i);
          case 1 -> assertThat(Await.failure(answer)).hasMessageContaining("refused caller-" + i + "!");
          default -> assertThat(Await.result(answer).toString()).isEqualTo("echo-" + i);
        }
      }
      assertThat(flushes.writes()).as("writes per flush: the turn's commands leave together")
          .startsWith(CALLERS);
      Response runs = Await.result(link.send(Request.cmd(Command.GET).arg(key)));
      assertThat(runs.toInteger()).as("each script ran once").isEqualTo(CALLERS / 3);
    } finally {
      on(loop, () -> {
        link.close();
        return Future.succeededFuture();
      });
    }
  }

  @Test
  @DisplayName("a host that goes silent fails every caller of a coalesced write at the link's deadline; the next command reconnects")
  void silentHostFailsEveryQueuedCaller(Vertx vertx) throws Exception {
    Context loop = vertx.getOrCreateContext();
    try (SilentProxy proxy = SilentProxy.inFrontOf(TestServices.redisUrl())) {
      RedisEndpoint endpoint = RedisEndpoint.standalone(proxy.url(TestServices.redisUrl())).withCommandTimeout(500);
      RedisLink link = on(loop, () -> Future.succeededFuture(new RedisLink(vertx, endpoint)));
      try {
        on(loop, () -> link.send(Request.cmd(Command.PING)));
        proxy.silence(false); // open connections go quiet for good; new ones are forwarded
        List<Future<Response>> answers = on(loop, () -> Future.succeededFuture(
            sendMixed(link, "test:coalesce:" + UUID.randomUUID())));
        for (Future<Response> answer : answers) {
          assertThat(Await.failure(answer)).isNotNull();
        }
        assertThat(on(loop, () -> link.send(Request.cmd(Command.PING))).toString()).isEqualTo("PONG");
      } finally {
        on(loop, () -> {
          link.close();
          return Future.succeededFuture();
        });
      }
    }
  }

  /** Scripts that succeed (caller 0, 3, ...), scripts that refuse (1, 4, ...) and plain commands, in one go. */
  private static List<Future<Response>> sendMixed(RedisLink link, String key) {
    List<Future<Response>> out = new ArrayList<>(CALLERS);
    for (int i = 0; i < CALLERS; i++) {
      out.add(switch (i % 3) {
        case 0 -> PROBE.call(link, List.of(key), List.of("caller-" + i));
        case 1 -> link.send(Request.cmd(Command.EVAL)
            .arg("return redis.error_reply('ERR refused ' .. ARGV[1] .. '!')").arg(0).arg("caller-" + i));
        default -> link.send(Request.cmd(Command.ECHO).arg("echo-" + i));
      });
    }
    return out;
  }

  /** Runs {@code work} as one task on {@code loop}; its result once complete. */
  private static <T> T on(Context loop, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    loop.runOnContext(v -> work.get().onComplete(done));
    return Await.result(done.future());
  }

  /** At the pipeline's head: how many messages each flush carried out, in order. */
  static final class FlushLog extends ChannelOutboundHandlerAdapter {
    private final List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
    private int pending;

    static FlushLog install(RedisConnection c) throws ReflectiveOperationException {
      FlushLog log = new FlushLog();
      RedisConnections.pipeline(c).addFirst(log);
      return log;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      pending++;
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (pending > 0) {
        writes.add(pending);
        pending = 0;
      }
      ctx.flush();
    }

    List<Integer> writes() {
      synchronized (writes) {
        return List.copyOf(writes);
      }
    }

    void clear() {
      writes.clear();
    }
  }
}
