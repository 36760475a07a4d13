package dev.ticketrush.hold;

/** What a seat script decided. The HTTP layer maps each to a status and problem code in one table. */
public enum SeatOutcome {
  OK,
  /** Some seats are held by someone else or sold. */
  UNAVAILABLE,
  /** The caller would hold more than maxSeatsPerUser. */
  LIMIT,
  /** Release: the caller holds no such seat. */
  NOT_FOUND,
  /** The seat is pinned by a running payment. */
  PAYING,
  /** Order: a seat is already sold. */
  SOLD,
  /** Order: a seat is not (or no longer) held by the caller. */
  MISSING,
  /** Order: another order of the caller is paying for the seat right now. */
  BUSY,
  BAD_ARGS
}
