package dev.ticketrush.infra;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands the very same immutable object to every local consumer: no copy, no encoding. Used for messages that
 * never leave the process (every node tails Redis itself and serves its own seat commands), so there is no
 * wire format.
 */
public final class LocalOnlyCodec<T> implements MessageCodec<T, T> {
  private final String name;

  public LocalOnlyCodec(Class<T> type) {
    this("local-only:" + type.getName());
  }

  public LocalOnlyCodec(String name) {
    this.name = name;
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
