package dev.ticketrush.seat;

import dev.ticketrush.event.Allocation;
import dev.ticketrush.event.Event;

import java.util.List;

/**
 * What the hold and best scripts need to decide presale access (access.lua): the caller's code as the SHA-256 hex
 * of the code ({@code ""} for none) and the event's reservations in the scripts' format.
 */
public record Access(String codeHash, String reservations) {
  public static final Access NONE = new Access("", "");

  public Access {
    codeHash = codeHash == null ? "" : codeHash;
  }

  /** The event's reservations and the caller's code hash (null: no code). */
  public static Access of(Event e, String codeHash) {
    return new Access(codeHash, reservations(e.reserved()));
  }

  /** "firstSeat lastSeat allocation releaseAtMs" per reserved section, separated by ';'. */
  static String reservations(List<Allocation.Reserved> reserved) {
    StringBuilder sb = new StringBuilder();
    for (Allocation.Reserved r : reserved) {
      if (!sb.isEmpty()) {
        sb.append(';');
      }
      sb.append(r.firstSeat()).append(' ').append(r.lastSeat()).append(' ').append(r.allocation()).append(' ')
          .append(r.releaseAtMs());
    }
    return sb.toString();
  }

  boolean hasCode() {
    return !codeHash.isEmpty();
  }
}
