package dev.ticketrush.seat;

import dev.ticketrush.event.SeatArea;

import java.util.List;

/** The bodies of the seat operations' event-bus messages, one record per operation (see {@link SeatClient}). */
final class SeatRequests {
  private SeatRequests() {
  }

  record Init(long eventId, SaleRules rules) {
  }

  record Rules(long eventId, SaleRules rules) {
  }

  record Hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount) {
  }

  record Best(long eventId, String user, int count, List<SeatArea> candidates, long ttlMs, int maxPerUser) {
  }

  record Release(long eventId, String user, int seat) {
  }

  record Pin(long eventId, String user, List<Integer> seats, long windowMs, int seatCount, String chargeKey) {
  }

  record RenewPins(long eventId, String user, List<Integer> seats, long windowMs) {
  }

  record Unpin(long eventId, String user, List<Integer> seats) {
  }

  record Sell(long eventId, String buyer, List<Integer> seats) {
  }

  record Restore(long eventId) {
  }

  record Snapshot(long eventId) {
  }

  record Since(long eventId, long since, int maxChanges) {
  }

  record Mine(long eventId, String user) {
  }

  record VersionFloor(long eventId, long floor) {
  }

  /** Reply of {@link Since}: {@code changes} is null when the log no longer has them all. */
  record Changes(List<SeatChange> changes) {
  }

  /** Reply of {@link Mine}. */
  record Holds(List<HeldSeat> seats) {
  }
}
