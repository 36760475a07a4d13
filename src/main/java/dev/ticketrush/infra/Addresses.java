package dev.ticketrush.infra;

/**
 * Every event-bus address of a node, in one place. Seat operations are local request-reply messages to
 * HoldVerticle (one address, a command record as the body); the rest are local publishes.
 */
public final class Addresses {
  private Addresses() {
  }

  /** Every seat operation HoldVerticle serves: the body is the command record, which says what to run. */
  public static final String SEAT_COMMANDS = "seats.cmd";

  /** Local publish of batched seat patches for one event; also the SockJS bridge address. */
  public static String seats(long eventId) {
    return "seats." + eventId;
  }

  /** Waiting-room progress ({@code {"type":"queue","serving":n}}) for one event; also bridged. */
  public static String queue(long eventId) {
    return "queue." + eventId;
  }

  /**
   * Local notice {@code {"eventId", "user"}}: the user is done with the event's waiting room (their order was
   * confirmed); this node's queue admitter frees their active place. Not bridged.
   */
  public static final String QUEUE_DONE = "waitingroom.done";

  /** Local notice that this node has watchers for an event (BroadcastVerticle starts tailing its log). */
  public static final String WATCH = "broadcast.watch";

  /**
   * Patch and resync objects of one event, in version order, from BroadcastVerticle to this node's WebSockets.
   * Not bridged: bridge clients only listen on {@link #seats} and {@link #queue}.
   */
  public static String patches(long eventId) {
    return "broadcast.patches." + eventId;
  }

  /** The event's presence frame ({@code {"type":"presence","active":n}}) as encoded text, every few seconds. */
  public static String presence(long eventId) {
    return "broadcast.presence." + eventId;
  }
}
