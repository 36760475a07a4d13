package dev.ticketrush.support;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way tests wait: for a future's result, or for a condition polled until a deadline. Called on the JUnit
 * thread, never on an event loop.
 */
public final class Await {
  /** How long a single future may take before the test fails (generous: the box is shared and loaded). */
  public static final Duration RESULT_TIMEOUT = Duration.ofSeconds(30);
  private static final long POLL_MS = 50;

  private Await() {
  }

  /** The future's result; its failure rethrown as is when unchecked. */
  public static <T> T result(Future<T> future) {
    return result(future.toCompletionStage(), RESULT_TIMEOUT);
  }

  public static <T> T result(Future<T> future, Duration timeout) {
    return result(future.toCompletionStage(), timeout);
  }

  public static <T> T result(CompletionStage<T> stage, Duration timeout) {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + timeout.toSeconds() + " s", e);
    }
  }

  /** The failure a future ends with; an AssertionError when it succeeds. */
  public static Throwable failure(Future<?> future) {
    try {
      result(future);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  /**
   * Probes until {@code done} holds or the deadline passes, and answers the last probe either way: the caller asserts
   * on it, so a timeout fails with the test's own message.
   */
  public static <T> T until(Supplier<T> probe, Predicate<? super T> done, Duration timeout) {
    return until(probe, done, timeout, Duration.ofMillis(POLL_MS));
  }

  /** As {@link #until(Supplier, Predicate, Duration)}, probing every {@code every} (a probe that also acts). */
  public static <T> T until(Supplier<T> probe, Predicate<? super T> done, Duration timeout, Duration every) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value) || System.nanoTime() > deadline) {
        return value;
      }
      pause(every);
    }
  }

  /** Polls until {@code done}; fails saying {@code what} was not reached within the timeout. */
  public static void until(String what, BooleanSupplier done, Duration timeout) {
    if (!until(done::getAsBoolean, ok -> ok, timeout)) {
      throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }
  }

  /**
   * Lets the clock run (a TTL to lapse, a rate to earn credits). Not for waiting on a condition: use
   * {@link #until} for that.
   */
  public static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
