package dev.ticketrush.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of PostgreSQL that can lose a connection exactly at COMMIT, the way a network cut does:
 * {@link Mode#AFTER_COMMIT} forwards the COMMIT, swallows the server's answer and cuts the client off (the
 * transaction committed, the client never learns it); {@link Mode#BEFORE_COMMIT} cuts before the server sees
 * the COMMIT (the transaction rolls back). Each arming affects the next COMMIT only.
 */
public final class PgFaultProxy implements AutoCloseable {
  public enum Mode { OFF, BEFORE_COMMIT, AFTER_COMMIT }

  private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);

  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<Mode> armed = new AtomicReference<>(Mode.OFF);
  private final AtomicInteger cuts = new AtomicInteger();
  private final NetServer server;
  private final String targetHost;
  private final int targetPort;

  private PgFaultProxy(String targetHost, int targetPort) throws Exception {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    NetClient client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(downstream -> {
      downstream.pause();
      client.connect(targetPort, targetHost).onComplete(ar -> {
        if (ar.failed()) {
          downstream.close();
          return;
        }
        pipe(downstream, ar.result());
        downstream.resume();
      });
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A proxy for the PostgreSQL at {@code pgUrl} ({@code postgresql://user:pw@host:port/db}). */
  public static PgFaultProxy in_front_of(String pgUrl) throws Exception {
    java.net.URI uri = java.net.URI.create(pgUrl.replaceFirst("^postgres(ql)?:", "http:"));
    return new PgFaultProxy(uri.getHost(), uri.getPort());
  }

  /** The same URL, through this proxy. */
  public String url(String pgUrl) {
    return pgUrl.replace(targetHost + ":" + targetPort, "127.0.0.1:" + server.actualPort());
  }

  public void arm(Mode mode) {
    armed.set(mode);
  }

  /** How many connections were cut at a COMMIT. */
  public int cuts() {
    return cuts.get();
  }

  private void pipe(NetSocket downstream, NetSocket upstream) {
    boolean[] swallowing = {false};
    downstream.handler(buf -> {
      if (contains(buf, COMMIT)) {
        Mode mode = armed.getAndSet(Mode.OFF);
        if (mode == Mode.BEFORE_COMMIT) {
          cuts.incrementAndGet();
          downstream.close();
          upstream.close();
          return;
        }
        if (mode == Mode.AFTER_COMMIT) {
          cuts.incrementAndGet();
          swallowing[0] = true;
          upstream.write(buf);
          // The server commits and answers; the client is cut off without the answer.
          vertx.setTimer(200, id -> {
            downstream.close();
            upstream.close();
          });
          return;
        }
      }
      upstream.write(buf);
    });
    upstream.handler(buf -> {
      if (!swallowing[0]) {
        downstream.write(buf);
      }
    });
    downstream.closeHandler(v -> upstream.close());
    upstream.closeHandler(v -> downstream.close());
  }

  private static boolean contains(Buffer buf, byte[] needle) {
    byte[] b = buf.getBytes();
    outer:
    for (int i = 0; i + needle.length <= b.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
