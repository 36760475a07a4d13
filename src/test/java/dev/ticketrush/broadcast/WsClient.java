package dev.ticketrush.broadcast;

import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test WebSocket client (java.net.http): every text message is parsed as JSON and queued, so tests read
 * frames in arrival order from the JUnit thread. Speaks to {@code /ws/events/N} and, with the SockJS raw
 * WebSocket transport, to {@code /eventbus/websocket}.
 */
final class WsClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private WsClient(String url) {
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          frames.add(new JsonObject(partial.toString()));
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }

      /** The SockJS raw transport writes the bridge's JSON as binary frames. */
      @Override
      public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
        partial.append(StandardCharsets.UTF_8.decode(data));
        if (last) {
          frames.add(new JsonObject(partial.toString()));
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        closed.complete(status + " " + reason);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete("error " + error);
      }
    };
    this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(url), listener).orTimeout(10, TimeUnit.SECONDS).join();
  }

  static WsClient seats(TestNode node, long eventId) {
    return new WsClient("ws://127.0.0.1:" + node.port() + "/ws/events/" + eventId);
  }

  static WsClient seats(TestNode node, long eventId, long since) {
    return new WsClient("ws://127.0.0.1:" + node.port() + "/ws/events/" + eventId + "?since=" + since);
  }

  /** A SockJS event-bus bridge client over the raw WebSocket transport (plain JSON frames, no SockJS framing). */
  static WsClient bridge(TestNode node) {
    return new WsClient("ws://127.0.0.1:" + node.port() + "/eventbus/websocket");
  }

  void send(JsonObject frame) {
    socket.sendText(frame.encode(), true).orTimeout(5, TimeUnit.SECONDS).join();
  }

  /** The next frame, or null after {@code timeoutMs}. */
  JsonObject poll(long timeoutMs) {
    try {
      return frames.poll(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next frame that matches, skipping others (presence, queue); fails after {@code timeoutMs}. */
  JsonObject next(Predicate<JsonObject> wanted, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      JsonObject f = left > 0 ? poll(left) : null;
      if (f == null) {
        throw new AssertionError("no matching frame within " + timeoutMs + " ms");
      }
      if (wanted.test(f)) {
        return f;
      }
    }
  }

  JsonObject next(String type, long timeoutMs) {
    return next(f -> type.equals(f.getString("type")), timeoutMs);
  }

  /** Every frame of the given types that arrives within {@code quietMs} of the previous one. */
  List<JsonObject> drain(Predicate<JsonObject> wanted, long quietMs) {
    List<JsonObject> out = new ArrayList<>();
    JsonObject f;
    while ((f = poll(quietMs)) != null) {
      if (wanted.test(f)) {
        out.add(f);
      }
    }
    return out;
  }

  static boolean isType(JsonObject f, String type) {
    return type.equals(f.getString("type"));
  }

  /** Bridge frames: {@code {"type":"rec","address":..,"body":..}}; their bodies are the patch objects. */
  static boolean isBridgePatch(JsonObject f) {
    return "rec".equals(f.getString("type")) && f.getJsonObject("body") != null
        && "patch".equals(f.getJsonObject("body").getString("type"));
  }

  String closeStatus(long timeoutMs) {
    return closed.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).join();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    socket.abort();
  }
}
