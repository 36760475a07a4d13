package dev.ticketrush.queue;

/**
 * The outcome of one admission round of one event: {@code open} is false before the sale starts;
 * {@code admitted} were let in by this round, {@code served} in total; {@code waiting} are still in line and
 * {@code active} hold a live slot.
 */
public record AdmissionRound(boolean open, int admitted, long served, long waiting, long active, double measuredRate) {
}
