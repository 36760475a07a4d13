package dev.ticketrush.event;

/**
 * Seats best available may choose from: {@code rows} consecutive rows of {@code seatsPerRow} seats starting at
 * seat {@code firstSeat} (seat ids run row by row), or, when {@code standing}, the {@code seatsPerRow} places of a
 * standing area from {@code firstSeat} on ({@code rows} is then 0).
 */
public record SeatArea(int firstSeat, int rows, int seatsPerRow, boolean standing) {
}
