package dev.ticketrush.order;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit: the writes of concurrent purchases share one PostgreSQL transaction, so one commit (one WAL
 * flush) carries many of them. Nothing waits for a batch to fill: a write goes out at once when fewer than
 * {@code maxInFlight} batches are running, and the writes that arrive meanwhile form the next batch (up to
 * {@code maxBatch}). Under load batches grow by themselves; alone, a write costs what it did before.
 *
 * <p>The runner decides each write's outcome separately (a savepoint per write, or set-based SQL that answers
 * per row) and completes each {@link Write}; it must complete every one of them, also when the batch fails.
 * Each caller's answer arrives on the caller's own context, as a direct pool call's would.
 *
 * @param <T> what one caller writes
 * @param <R> what one caller is answered
 */
final class GroupCommit<T, R> {
  /** One caller's write and its answer. */
  static final class Write<T, R> {
    final T item;
    private final Promise<R> answer = Promise.promise();
    private final Context context = Vertx.currentContext();

    private Write(T item) {
      this.item = item;
    }

    void succeed(R result) {
      deliver(() -> answer.tryComplete(result));
    }

    void fail(Throwable cause) {
      deliver(() -> answer.tryFail(cause));
    }

    private void deliver(Runnable r) {
      if (context == null) {
        r.run();
      } else {
        context.runOnContext(v -> r.run());
      }
    }
  }

  private final ArrayDeque<Write<T, R>> queue = new ArrayDeque<>();
  private final Function<List<Write<T, R>>, Future<?>> runner;
  private final int maxInFlight;
  private final int maxBatch;
  private volatile BatchObserver observer = size -> { };
  private int inFlight;

  /** Sees each batch's size (the metrics: writes per commit). */
  interface BatchObserver {
    void batch(int size);
  }

  GroupCommit(int maxInFlight, int maxBatch, Function<List<Write<T, R>>, Future<?>> runner) {
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.runner = runner;
  }

  GroupCommit<T, R> observedBy(BatchObserver observer) {
    this.observer = observer;
    return this;
  }

  Future<R> submit(T item) {
    Write<T, R> w = new Write<>(item);
    synchronized (queue) {
      queue.add(w);
    }
    drain();
    return w.answer.future();
  }

  private void drain() {
    while (true) {
      List<Write<T, R>> batch;
      synchronized (queue) {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
          return;
        }
        inFlight++;
        batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
        while (batch.size() < maxBatch && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
      }
      observer.batch(batch.size());
      Future<?> done;
      try {
        done = runner.apply(batch);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      done.onComplete(ar -> {
        if (ar.failed()) {
          batch.forEach(w -> w.fail(ar.cause())); // a runner that failed before answering: no write stays unanswered
        }
        synchronized (queue) {
          inFlight--;
        }
        drain();
      });
    }
  }
}
