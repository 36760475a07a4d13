package dev.ticketrush.broadcast;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands the very same immutable object to every local consumer: a patch is encoded once by the broadcaster
 * and every socket on the node writes that one encoding. These messages never leave the process (every node
 * tails Redis itself), so there is no wire format.
 */
final class LocalOnlyCodec<T> implements MessageCodec<T, T> {
  private final String name;

  LocalOnlyCodec(Class<T> type) {
    this.name = "local-only:" + type.getName();
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
