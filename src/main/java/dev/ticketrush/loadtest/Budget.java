package dev.ticketrush.loadtest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The two bounds of a load phase: a deadline and a number of requests. Whichever comes first ends it. */
public final class Budget {
  private final long deadlineNs;
  private final AtomicLong remaining;

  public Budget(Duration duration, long requests) {
    this.deadlineNs = System.nanoTime() + duration.toNanos();
    this.remaining = new AtomicLong(requests);
  }

  /** Reserves {@code n} requests; false once the time is up or the requests are spent. */
  public boolean tryTake(int n) {
    if (System.nanoTime() >= deadlineNs) {
      return false;
    }
    return remaining.addAndGet(-n) >= 0;
  }

  public boolean timeLeft() {
    return System.nanoTime() < deadlineNs;
  }

  public long remainingMillis() {
    return Math.max(0, (deadlineNs - System.nanoTime()) / 1_000_000);
  }
}
