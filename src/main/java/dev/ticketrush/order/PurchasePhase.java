package dev.ticketrush.order;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a purchase stands, committed in PostgreSQL before each foreign call:
 * <pre>
 *  (seats pinned) ──row──> CHARGING ──gateway──> CHARGED ──tx──> CONFIRMED (order, tickets, answer)
 *                            │  │                  │
 *                            │  └─declined──> DECLINED
 *                            └─still unknown past its bound (tries, age)──> FAILED (a late charge is refunded)
 *                                                  └─seats lost / sold──> REFUNDING ──refund──> REFUNDED
 * </pre>
 * Money may have moved from CHARGING on. The row is inserted as CHARGING once the seats are pinned; CLAIMED
 * (claimed, seats not yet pinned) is what earlier versions inserted first, and the completer still releases
 * such rows. The request path goes from an approved charge straight to the order
 * transaction (CHARGING → CONFIRMED); CHARGED is where the completer records the charge that sending the same
 * charge again returned, before it confirms. The completer
 * drives every unfinished phase past its deadline forward (confirm while the seats are pinned) or back.
 */
public enum PurchasePhase {
  CLAIMED, CHARGING, CHARGED, CONFIRMED, DECLINED, REFUNDING, REFUNDED, FAILED;

  /** Phases whose answer is decided (a replay gets it); REFUNDING's refund is still being retried. */
  static final Set<PurchasePhase> DECIDED = EnumSet.of(CONFIRMED, DECLINED, REFUNDING, REFUNDED, FAILED);

  boolean decided() {
    return DECIDED.contains(this);
  }
}
