package dev.ticketrush.infra;

/** Event-bus addresses, in one place. */
public final class Addresses {
  private Addresses() {
  }

  /** Seat status commands for HoldVerticle (hold, release, pin, unpin, sell, init). */
  public static final String SEATS_CMD = "seats.cmd";

  /** Local publish of batched seat patches for one event; also the SockJS bridge address. */
  public static String seats(long eventId) {
    return "seats." + eventId;
  }

  /** Waiting-room progress ({@code {"type":"queue","serving":n}}) for one event; also bridged. */
  public static String queue(long eventId) {
    return "queue." + eventId;
  }

  /** Local notice that this node has watchers for an event (BroadcastVerticle starts tailing its log). */
  public static final String WATCH = "broadcast.watch";
}
