package dev.ticketrush.broadcast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

import java.nio.charset.StandardCharsets;

/**
 * A text message encoded to UTF-8 once and written to any number of sockets, on any event loop.
 *
 * <p>{@code ServerWebSocket.writeTextMessage(String)} encodes the text again for every socket, and Vert.x's public
 * frame API has no text frame made from bytes ({@code WebSocketFrame.textFrame} takes a String; one frame object
 * cannot be written twice either: Netty's encoder consumes its reader index and releases it). So this holds the
 * bytes in one unpooled heap buffer, which is never released (the garbage collector owns it), and gives each write
 * its own {@link ByteBuf#duplicate()}: own indices, same bytes, no copy, no reference count to get wrong. Vert.x
 * writes an unpooled heap buffer as is (it copies only pooled ones); Netty copies the payload into the frame's
 * header buffer (up to 1 KiB) or writes it by reference. The duplicates only read the shared buffer, so
 * concurrent writes from several event loops are safe.
 *
 * <p>The one place that uses Vert.x's frame implementation class ({@code WebSocketFrameImpl}, the type
 * {@code writeFrame} requires): a message longer than {@link #MAX_FRAME_BYTES} goes out as a text frame and
 * continuation frames, as {@code writeTextMessage} would split it.
 */
final class SharedTextFrame {
  /** The server's and clients' frame size limit (HttpVerticle sets the server's; RFC 6455 has none). */
  static final int MAX_FRAME_BYTES = 65_536;

  private final ByteBuf bytes;

  SharedTextFrame(String text) {
    this.bytes = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
  }

  int length() {
    return bytes.readableBytes();
  }

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  void writeTo(ServerWebSocket ws) {
    int length = bytes.readableBytes();
    if (length <= MAX_FRAME_BYTES) {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes.duplicate(), true));
      return;
    }
    for (int from = 0; from < length; from += MAX_FRAME_BYTES) {
      int size = Math.min(MAX_FRAME_BYTES, length - from);
      boolean last = from + size == length;
      ws.writeFrame(new WebSocketFrameImpl(from == 0 ? WebSocketFrameType.TEXT : WebSocketFrameType.CONTINUATION,
          bytes.slice(from, size), last));
    }
  }
}
