package dev.ticketrush.broadcast;

import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.LocalOnlyCodec;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Coalescing, with the feed's clock in the test's hands: what counts as a quiet moment is decided here, not by the box's speed. */
@ExtendWith(VertxExtension.class)
class EventFeedTest {
  static final long EVENT = 7;
  final LinkedBlockingQueue<Patch> published = new LinkedBlockingQueue<>();
  final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  @DisplayName("the first change after a quiet moment goes out alone and at once; changes within the window wait and go out together")
  void idleChangeAtOnceBusyChangesBatched(Vertx vertx) throws InterruptedException {
    vertx.eventBus().registerDefaultCodec(Patch.class, new LocalOnlyCodec<>(Patch.class));
    vertx.eventBus().<Patch>localConsumer(Addresses.patches(EVENT), m -> published.add(m.body()));
    Context loop = vertx.getOrCreateContext();
    EventFeed[] feed = new EventFeed[1];
    onContext(loop, () -> {
      feed[0] = new EventFeed(vertx, EVENT, 0, now::get);
      feed[0].accept(List.of(entry(1)));
      // same instant: inside the window the first change opened
      feed[0].accept(List.of(entry(2), entry(3)));
    });
    assertPatch(1, 1); // not held back for versions 2 and 3
    assertPatch(2, 3); // they waited for the window's timer, together

    onContext(loop, () -> {
      now.addAndGet(EventFeed.WINDOW_MS / 5);
      feed[0].accept(List.of(entry(4)));
      now.addAndGet(EventFeed.WINDOW_MS / 5);
      feed[0].accept(List.of(entry(5)));
    });
    assertPatch(4, 5); // a change soon after a patch waits for the window, later ones join it

    onContext(loop, () -> {
      now.addAndGet(EventFeed.WINDOW_MS * 3); // quiet again
      feed[0].accept(List.of(entry(6)));
      feed[0].accept(List.of(entry(7)));
    });
    assertPatch(6, 6);
    assertPatch(7, 7);
  }

  void assertPatch(long from, long to) throws InterruptedException {
    Patch p = published.poll(10, TimeUnit.SECONDS);
    assertThat(p).as("patch %d..%d", from, to).isNotNull();
    assertThat(p.fromVersion()).isEqualTo(from);
    assertThat(p.toVersion()).isEqualTo(to);
    assertThat(p.changes()).hasSize((int) (to - from + 1));
    assertThat(p.frame().text()).contains("\"fromVersion\":" + from, "\"toVersion\":" + to);
  }

  static LogEntry entry(long version) {
    return new LogEntry(version, (int) version, "HELD", 0);
  }

  /** Runs the feed's calls on one event loop, as the broadcaster does, and waits until they returned. */
  static void onContext(Context loop, Runnable calls) throws InterruptedException {
    LinkedBlockingQueue<Boolean> done = new LinkedBlockingQueue<>();
    loop.runOnContext(v -> {
      calls.run();
      done.add(true);
    });
    assertThat(done.poll(10, TimeUnit.SECONDS)).isTrue();
  }
}
