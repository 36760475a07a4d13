package dev.ticketrush.loadtest;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PropagationTrackerTest {
  static final long MS = 1_000_000;

  @Test
  void countsDeliveriesLateOnesAndMissedOnes() {
    LoadRecorder rec = new LoadRecorder();
    PropagationTracker t = new PropagationTracker(rec, 10);
    PropagationTracker.Change c = t.expect(7, 1, 0);
    t.answered(c, 10 * MS, 3);
    t.delivered(7, 1, 12 * MS);
    t.delivered(7, 1, 6_000 * MS); // after the 5 s deadline
    t.sweep(100 * MS, false);
    assertThat(t.pending()).isEqualTo(1);
    t.sweep(5_100 * MS, false);
    assertThat(t.pending()).isZero();
    assertThat(t.missed()).isEqualTo(2);
    assertThat(t.toJson().getLong("lateDeliveries")).isEqualTo(1);
  }

  @Test
  void aPatchThatOvertakesTheAnswerIsCountedOnceTheAnswerArrives() {
    LoadRecorder rec = new LoadRecorder();
    PropagationTracker t = new PropagationTracker(rec, 10);
    PropagationTracker.Change c = t.expect(3, 1, 1 * MS);
    t.delivered(3, 1, 5 * MS);
    assertThat(t.toJson().getLong("delivered")).isZero();
    t.answered(c, 6 * MS, 1);
    t.sweep(Long.MAX_VALUE, true);
    assertThat(t.missed()).isZero();
    assertThat(t.toJson().getLong("patchBeforeAnswer")).isEqualTo(1);
    rec.finish();
    assertThat(rec.histogram("propagation_from_send").getTotalCount()).isEqualTo(1);
  }

  @Test
  void aFailedAttemptIsReplacedByTheNextOneOfTheSameSeat() {
    PropagationTracker t = new PropagationTracker(new LoadRecorder(), 10);
    t.expect(4, 1, 0); // answered 409: no change happened
    PropagationTracker.Change retry = t.expect(4, 1, 50 * MS);
    t.answered(retry, 60 * MS, 1);
    t.delivered(4, 1, 70 * MS);
    t.delivered(4, 2, 80 * MS); // a change the writer never made
    t.sweep(Long.MAX_VALUE, true);
    assertThat(t.missed()).isZero();
    assertThat(t.toJson().getLong("unmatchedChanges")).isEqualTo(1);
  }

  @Test
  void readsFramesWhateverTheFieldOrder() throws Exception {
    SeatFrame f = SeatFrame.parse(Buffer.buffer("{\"changes\":[{\"version\":5,\"status\":\"HELD\",\"seat\":12},"
        + "{\"seat\":13,\"status\":\"AVAILABLE\",\"version\":6,\"extra\":{\"a\":[1]}}],\"toVersion\":6,\"type\":\"patch\",\"fromVersion\":5}"));
    assertThat(f.type).isEqualTo("patch");
    assertThat(f.fromVersion).isEqualTo(5);
    assertThat(f.toVersion).isEqualTo(6);
    assertThat(f.changes).isEqualTo(2);
    assertThat(f.seats[0]).isEqualTo(12);
    assertThat(f.statuses[1]).isEqualTo("AVAILABLE");
    assertThat(f.versions[1]).isEqualTo(6);
    SeatFrame s = SeatFrame.parse(Buffer.buffer("{\"type\":\"snapshot\",\"version\":9,\"held\":[1,2],\"sold\":[3]}"));
    assertThat(s.version).isEqualTo(9);
    assertThat(s.heldCount).isEqualTo(2);
    assertThat(s.soldCount).isEqualTo(1);
  }
}
