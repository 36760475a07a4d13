package dev.ticketrush.broadcast;

import dev.ticketrush.support.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class SharedTextFrameTest {
  static final int SOCKETS = 6;

  @Test
  @DisplayName("one encoding written to many sockets on two event loops reaches each of them whole, every time")
  void everySocketReceivesTheSameText(Vertx vertx) {
    String small = "{\"type\":\"patch\",\"changes\":[1,2,3]}";
    String medium = "{\"seats\":\"" + "x".repeat(5_000) + "\"}"; // over Netty's 1 KiB copy limit: written by reference
    // over the 64 KiB frame limit: a text frame and continuation frames, with 2- and 4-byte characters across the cuts
    String large = "{\"seats\":\"" + "é€😀a".repeat(20_000) + "\"}";
    List<SharedTextFrame> frames = List.of(new SharedTextFrame(small), new SharedTextFrame(medium),
        new SharedTextFrame(large));
    assertThat(frames.get(2).length()).isGreaterThan(2 * SharedTextFrame.MAX_FRAME_BYTES);
    // the same frames written twice to each socket: a write must not consume the shared bytes
    List<SharedTextFrame> sequence = new ArrayList<>(frames);
    sequence.addAll(frames);

    Set<String> loops = ConcurrentHashMap.newKeySet();
    AtomicInteger port = new AtomicInteger();
    Await.result(vertx.deployVerticle(() -> new Writer(sequence, loops, port), new DeploymentOptions().setInstances(2)));

    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(SharedTextFrame.MAX_FRAME_BYTES).setMaxMessageSize(1 << 20));
    List<Future<List<String>>> received = new ArrayList<>();
    for (int i = 0; i < SOCKETS; i++) {
      Promise<List<String>> all = Promise.promise();
      List<String> texts = Collections.synchronizedList(new ArrayList<>());
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port.get()).setURI("/")).onSuccess(ws ->
          ws.textMessageHandler(t -> {
            texts.add(t);
            if (texts.size() == sequence.size()) {
              all.complete(texts);
            }
          })).onFailure(all::fail);
      received.add(all.future());
    }

    List<String> expected = List.of(small, medium, large, small, medium, large);
    for (Future<List<String>> f : received) {
      assertThat(Await.result(f)).containsExactlyElementsOf(expected);
    }
    assertThat(loops).as("writes from more than one event loop").hasSize(2);
    assertThat(frames).extracting(SharedTextFrame::text).containsExactly(small, medium, large);
  }

  /** Writes the shared frames to every socket that connects. */
  static final class Writer extends VerticleBase {
    private final List<SharedTextFrame> frames;
    private final Set<String> loops;
    private final AtomicInteger port;

    Writer(List<SharedTextFrame> frames, Set<String> loops, AtomicInteger port) {
      this.frames = frames;
      this.loops = loops;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(SharedTextFrame.MAX_FRAME_BYTES))
          .webSocketHandler(ws -> {
            loops.add(Thread.currentThread().getName());
            frames.forEach(f -> f.writeTo(ws));
          })
          .listen(-1, "127.0.0.1") // negative: one random port shared by both instances
          .onSuccess(server -> port.set(server.actualPort()));
    }
  }
}
