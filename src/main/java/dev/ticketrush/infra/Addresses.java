package dev.ticketrush.infra;

/**
 * Every event-bus address of a node, in one place. Seat operations are local request-reply messages to
 * HoldVerticle (one address per operation, typed records as bodies); the rest are local publishes.
 */
public final class Addresses {
  private Addresses() {
  }

  private static final String SEAT = "seats.cmd.";

  /** The seat operations HoldVerticle serves, each with its own request record. */
  public static final String SEAT_INIT = SEAT + "init";
  public static final String SEAT_SALE_RULES = SEAT + "sale-rules";
  public static final String SEAT_HOLD = SEAT + "hold";
  public static final String SEAT_BEST = SEAT + "best";
  public static final String SEAT_RELEASE = SEAT + "release";
  public static final String SEAT_PIN = SEAT + "pin";
  public static final String SEAT_UNPIN = SEAT + "unpin";
  public static final String SEAT_RENEW_PINS = SEAT + "renew-pins";
  public static final String SEAT_SELL = SEAT + "sell";
  public static final String SEAT_RESTORE = SEAT + "restore";
  public static final String SEAT_SNAPSHOT = SEAT + "snapshot";
  public static final String SEAT_SINCE = SEAT + "since";
  public static final String SEAT_MINE = SEAT + "mine";
  public static final String SEAT_VERSION_FLOOR = SEAT + "version-floor";

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
