package dev.ticketrush.queue;

/** Where one user stands in one event's waiting room, as the queue scripts decided it. */
public sealed interface QueueStatus {

  /** Let in: holds and orders need the entry token that expires at {@code expiresAtMs}. */
  record Admitted(long expiresAtMs) implements QueueStatus {
  }

  /**
   * In line with {@code ahead} people before them and {@code served} admitted so far, so their number is
   * {@code served + ahead + 1} until let in. {@code provisional}: a pre-queue place, reshuffled as others join
   * until the sale starts. {@code measuredRate}: admissions per second over the last 30 s, 0 when unknown.
   */
  record Waiting(long ahead, long served, double measuredRate, boolean provisional, long nowMs) implements QueueStatus {
  }

  /** Was admitted, but the token expired or the user was idle too long: joining again starts a new turn. */
  record Lapsed() implements QueueStatus {
  }

  /** Never joined. */
  record Absent() implements QueueStatus {
  }
}
