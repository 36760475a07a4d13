package dev.ticketrush.loadtest;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Matches the seat changes the writer made with the patches every watcher received.
 *
 * <p>A change is named by (seat, k): the k-th successful change of that seat. The writer never has two requests
 * in flight for one seat and nothing else touches the writer's seats, so the k-th 201/204 the writer got for a
 * seat is the k-th change of that seat in the event's log, and a watcher counting the changes of each seat in
 * its patches names them the same way. The writer registers the change before sending its request
 * ({@link #expect}), so a watcher always finds it, even when the patch overtakes the HTTP answer; such a
 * delivery waits in the change until the answer time is known.
 *
 * <p>Deliveries are the hot path (watchers × changes per second): an array lookup and a couple of atomics, no map.
 */
final class PropagationTracker {
  static final long DEADLINE_NS = 5_000_000_000L;

  private final LoadRecorder recorder;
  /** Per seat, its changes in order (index k-1); written by the writer only, published by the volatile set. */
  private final AtomicReferenceArray<Change[]> bySeat;
  private final ConcurrentLinkedQueue<Change> answered = new ConcurrentLinkedQueue<>();
  private final LongAdder missed = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder expected = new LongAdder();
  private final LongAdder beforeAnswer = new LongAdder();
  private final LongAdder unknown = new LongAdder();

  PropagationTracker(LoadRecorder recorder, int seats) {
    this.recorder = recorder;
    this.bySeat = new AtomicReferenceArray<>(seats + 1);
  }

  static final class Change {
    private static final AtomicIntegerFieldUpdater<Change> IN_TIME = AtomicIntegerFieldUpdater.newUpdater(Change.class, "inTime");
    final long sentNs;
    volatile long answerNs;
    volatile int inTime;
    int watchers;
    boolean closed;
    List<Long> early;

    Change(long sentNs) {
      this.sentNs = sentNs;
    }
  }

  /** Writer, before sending: the k-th change of {@code seat} may happen now. Replaces a k-th that did not. */
  Change expect(int seat, int k, long sentNs) {
    Change c = new Change(sentNs);
    Change[] list = bySeat.get(seat);
    if (list == null) {
      list = new Change[8];
    } else if (list.length < k) {
      list = Arrays.copyOf(list, Math.max(k, list.length * 2));
    }
    list[k - 1] = c;
    bySeat.set(seat, list);
    return c;
  }

  /** Writer: the change got its 201/204 at {@code answerNs}; {@code watchers} were open then. */
  void answered(Change c, long answerNs, int watchers) {
    expected.add(watchers);
    List<Long> early;
    synchronized (c) {
      c.watchers = watchers;
      c.answerNs = answerNs;
      early = c.early;
      c.early = null;
    }
    answered.add(c);
    if (early != null) {
      for (long at : early) {
        record(c, at);
      }
    }
  }

  /** A watcher saw the k-th change of {@code seat} at {@code atNs}. */
  void delivered(int seat, int k, long atNs) {
    Change[] list = bySeat.get(seat);
    Change c = list == null || list.length < k ? null : list[k - 1];
    if (c == null) {
      unknown.increment();
      return;
    }
    if (c.answerNs == 0) {
      synchronized (c) {
        if (c.answerNs == 0) {
          if (c.early == null) {
            c.early = new ArrayList<>(4);
          }
          c.early.add(atNs);
          return;
        }
      }
    }
    record(c, atNs);
  }

  private void record(Change c, long atNs) {
    delivered.increment();
    long fromAnswer = atNs - c.answerNs;
    if (fromAnswer < 0) {
      beforeAnswer.increment();
    }
    recorder.recordLatency("propagation_from_answer", Math.max(0, fromAnswer));
    recorder.recordLatency("propagation_from_send", atNs - c.sentNs);
    if (fromAnswer <= DEADLINE_NS) {
      Change.IN_TIME.incrementAndGet(c);
    } else {
      late.increment();
    }
  }

  /** Closes every change answered more than 5 s ago ({@code all}: every answered change) and counts what was missed. */
  void sweep(long nowNs, boolean all) {
    for (Change c : answered) {
      synchronized (c) {
        if (!c.closed && (all || nowNs - c.answerNs > DEADLINE_NS)) {
          c.closed = true;
          missed.add(Math.max(0, c.watchers - c.inTime));
        }
      }
    }
  }

  /** Answered changes whose deliveries are not all in yet. */
  int pending() {
    int n = 0;
    for (Change c : answered) {
      if (!c.closed && c.inTime < c.watchers) {
        n++;
      }
    }
    return n;
  }

  long missed() {
    return missed.sum();
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("changesMade", answered.size())
        .put("deliveriesExpected", expected.sum())
        .put("delivered", delivered.sum())
        .put("missedDeliveries", missed.sum())
        .put("lateDeliveries", late.sum())
        .put("patchBeforeAnswer", beforeAnswer.sum())
        .put("unmatchedChanges", unknown.sum());
  }
}
