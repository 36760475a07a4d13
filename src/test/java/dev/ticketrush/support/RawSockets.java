package dev.ticketrush.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Clients that misbehave on purpose, on plain sockets: they upgrade and then never read, hold connections open,
 * or say nothing at all. A tiny receive buffer keeps the kernel from soaking up much of what the server sends.
 */
public final class RawSockets {
  private RawSockets() {
  }

  public static Socket connect(TestNode node) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Sends a WebSocket upgrade for {@code path} and returns the status line and headers (the body is left unread). */
  public static String upgrade(Socket s, String path) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return head(s);
  }

  /** One keep-alive GET; the status line and headers (the body, if any, is left unread), or null when closed. */
  public static String get(Socket s, String path) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return head(s);
  }

  /** Reads up to the blank line that ends a response head; null if the server closes first. */
  static String head(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      while (got.size() < 16_384) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        got.write(b);
        String text = got.toString(StandardCharsets.ISO_8859_1);
        if (text.endsWith("\r\n\r\n")) {
          return text;
        }
      }
    } catch (SocketException reset) {
      return null;
    }
    throw new IOException("response head too long");
  }

  /** A masked text frame, as a client must send it. */
  public static void sendText(Socket s, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    s.getOutputStream().write(frame.toByteArray());
    s.getOutputStream().flush();
  }

  /** Reading on now drains whatever was queued and then meets the end of the connection (true), or times out (false). */
  public static boolean closedByServer(Socket s, long timeoutMs) throws IOException {
    s.setSoTimeout((int) timeoutMs);
    InputStream in = s.getInputStream();
    byte[] buf = new byte[65_536];
    try {
      while (in.read(buf) >= 0) {
        // draining
      }
      return true;
    } catch (SocketException reset) {
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    }
  }
}
