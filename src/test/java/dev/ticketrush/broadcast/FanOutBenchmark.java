package dev.ticketrush.broadcast;

import com.sun.management.ThreadMXBean;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one patch costs the server's event loop per socket: {@code writeTextMessage(String)} (the text encoded
 * again for every socket) against {@link SharedTextFrame} (encoded once, a duplicate per socket). Alternating
 * rounds in one JVM; per socket write: the event loop thread's CPU time and the bytes it allocated (the latter
 * does not depend on how loaded the machine is). Not a test; run from a built tree:
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.ticketrush.broadcast.FanOutBenchmark [SOCKETS] [ROUNDS] [CHANGES]
 * </pre>
 */
public final class FanOutBenchmark {
  public static void main(String[] args) throws Exception {
    int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int changes = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Context server = vertx.getOrCreateContext();
    List<ServerWebSocket> open = new ArrayList<>();
    AtomicLong received = new AtomicLong();
    Promise<Integer> listening = Promise.promise();
    server.runOnContext(v -> vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(SharedTextFrame.MAX_FRAME_BYTES))
        .webSocketHandler(open::add).listen(0, "127.0.0.1").map(s -> s.actualPort()).onComplete(listening));
    int port = listening.future().await();
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(sockets + 1));
    List<Future<?>> connects = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      connects.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
          .onSuccess(ws -> ws.frameHandler(f -> received.incrementAndGet())));
    }
    Future.all(connects).await();

    String[] modes = {"writeTextMessage", "SharedTextFrame"};
    long[][] cpu = new long[2][rounds];
    long[][] alloc = new long[2][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int m = 0; m < 2; m++) {
        int mode = (r % 2 == 0) ? m : 1 - m; // alternate which goes first
        String text = patchText(r * 2L * changes + m * (long) changes, changes);
        long expected = received.get() + sockets;
        CountDownLatch wrote = new CountDownLatch(1);
        int round = r;
        server.runOnContext(v -> {
          long id = Thread.currentThread().getId();
          long c0 = threads.getThreadCpuTime(id);
          long a0 = threads.getThreadAllocatedBytes(id);
          if (mode == 0) {
            for (ServerWebSocket ws : open) {
              ws.writeTextMessage(text);
            }
          } else {
            SharedTextFrame frame = new SharedTextFrame(text);
            for (ServerWebSocket ws : open) {
              frame.writeTo(ws);
            }
          }
          cpu[mode][round] = threads.getThreadCpuTime(id) - c0;
          alloc[mode][round] = threads.getThreadAllocatedBytes(id) - a0;
          wrote.countDown();
        });
        wrote.await(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < expected && System.nanoTime() < deadline) {
          Thread.sleep(1); // let the clients read everything before the next round
        }
      }
    }
    int skip = rounds / 5; // warm-up rounds
    System.out.printf("%d sockets, %d rounds (first %d skipped), %d changes per patch (%d bytes)%n",
        sockets, rounds, skip, changes, patchText(0, changes).length());
    for (int m = 0; m < 2; m++) {
      System.out.printf("%-17s CPU per socket write: median %5.2f us, p90 %5.2f us; allocated per socket write: median %d bytes%n",
          modes[m], median(cpu[m], skip, 0.5) / 1e3 / sockets, median(cpu[m], skip, 0.9) / 1e3 / sockets,
          median(alloc[m], skip, 0.5) / sockets);
    }
    vertx.close().await();
  }

  static String patchText(long from, int changes) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < changes; i++) {
      list.add(new JsonObject().put("seat", 1000 + (from + i) % 9000).put("status", "HELD").put("version", from + i + 1));
    }
    return new JsonObject().put("type", "patch").put("fromVersion", from + 1).put("toVersion", from + changes)
        .put("changes", list).encode();
  }

  static long median(long[] values, int skip, double q) {
    long[] v = Arrays.copyOfRange(values, skip, values.length);
    Arrays.sort(v);
    return v[(int) Math.min(v.length - 1, Math.round(q * (v.length - 1)))];
  }
}
