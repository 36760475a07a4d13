package dev.ticketrush.broadcast;

import dev.ticketrush.seat.SeatChange;

/** One entry of an event's change log as read from the stream: the change and Redis' time of it (ms). */
record LogEntry(long version, int seat, String status, long changedAtMs) {
  SeatChange change() {
    return new SeatChange(seat, status, version);
  }
}
