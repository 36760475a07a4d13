package dev.ticketrush.seat;

/** A seat the caller holds and when the hold ends (ms since epoch, Redis clock). */
public record HeldSeat(int seat, long expiresAtMs) {
}
