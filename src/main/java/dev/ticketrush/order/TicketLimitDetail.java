package dev.ticketrush.order;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stored answer of a purchase PostgreSQL refused at maxTicketsPerUser. A stored refusal is its detail text
 * (replays answer it again), so the detail carries the count the problem's {@code remaining} member shows.
 */
final class TicketLimitDetail {
  private static final Pattern REMAINING = Pattern.compile("you may buy (\\d+) more");

  private TicketLimitDetail() {
  }

  static String text(int remaining) {
    return "this purchase would take you past the event's maxTicketsPerUser; nothing was sold and the payment is "
        + "refunded; you may buy " + remaining + " more";
  }

  static OptionalInt remaining(String detail) {
    Matcher m = REMAINING.matcher(detail == null ? "" : detail);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }
}
