package dev.ticketrush.broadcast;

/**
 * Node-local event-bus addresses between {@link BroadcastVerticle} and the WebSocket endpoint. They are not
 * bridged: the SockJS bridge only lets clients listen on {@code seats.N} and {@code queue.N}.
 */
final class FeedAddresses {
  private FeedAddresses() {
  }

  /** {@link Patch} and {@link Resync} objects of one event, in version order. */
  static String patches(long eventId) {
    return "broadcast.patches." + eventId;
  }

  /** The event's presence frame ({@code {"type":"presence","active":n}}) as encoded text, every few seconds. */
  static String presence(long eventId) {
    return "broadcast.presence." + eventId;
  }
}
