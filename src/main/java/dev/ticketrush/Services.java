package dev.ticketrush;

import dev.ticketrush.config.AppConfig;
import dev.ticketrush.event.EventCatalog;
import dev.ticketrush.order.PaymentGateway;
import dev.ticketrush.order.TicketRepository;
import dev.ticketrush.queue.EntryTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.sqlclient.Pool;

/** Process-wide, thread-safe objects handed to every verticle by {@link Main}. */
public record Services(
    AppConfig config,
    Pool pool,
    EventCatalog events,
    TicketRepository tickets,
    PaymentGateway payments,
    EntryTokens entryTokens,
    MeterRegistry metrics) {
}
