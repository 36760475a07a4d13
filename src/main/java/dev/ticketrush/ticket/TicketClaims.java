package dev.ticketrush.ticket;

import java.util.UUID;

/** What a ticket code says: which ticket, of which event and seat, held by whom. */
public record TicketClaims(UUID ticketId, long eventId, int seat, String holder) {
}
