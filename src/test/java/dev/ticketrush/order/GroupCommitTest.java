package dev.ticketrush.order;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The batching rules of group commit, with a runner the test completes by hand. */
class GroupCommitTest {
  private final List<List<GroupCommit.Write<Integer, String>>> batches = new ArrayList<>();
  private final List<Promise<Void>> running = new ArrayList<>();
  private final List<Integer> sizes = new ArrayList<>();
  private final GroupCommit<Integer, String> commit = new GroupCommit<Integer, String>(2, 3, batch -> {
    batches.add(batch);
    Promise<Void> done = Promise.promise();
    running.add(done);
    return done.future();
  }).observedBy(sizes::add);

  @Test
  void aLoneWriteGoesOutAtOnce() {
    Future<String> answer = commit.submit(1);
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0)).extracting(w -> w.item).containsExactly(1);
    batches.get(0).get(0).succeed("one");
    running.get(0).complete();
    assertThat(answer.result()).isEqualTo("one");
  }

  @Test
  void writesArrivingWhileBatchesRunFormTheNextBatchUpToItsLimit() {
    commit.submit(1);
    commit.submit(2); // two batches in flight: the limit
    List<Future<String>> waiting = new ArrayList<>();
    for (int i = 3; i <= 7; i++) {
      waiting.add(commit.submit(i));
    }
    assertThat(batches).hasSize(2);
    finish(0);
    assertThat(batches).hasSize(3);
    assertThat(batches.get(2)).extracting(w -> w.item).containsExactly(3, 4, 5);
    finish(1);
    assertThat(batches.get(3)).extracting(w -> w.item).containsExactly(6, 7);
    finish(2);
    finish(3);
    assertThat(waiting).allSatisfy(f -> assertThat(f.result()).isEqualTo("ok"));
    assertThat(sizes).containsExactly(1, 1, 3, 2);
  }

  @Test
  void aFailedBatchFailsEveryWriteItDidNotAnswer() {
    Future<String> answered = commit.submit(1);
    commit.submit(9);
    Future<String> a = commit.submit(2);
    Future<String> b = commit.submit(3);
    batches.get(0).get(0).succeed("kept");
    running.get(0).fail(new IllegalStateException("connection lost"));
    assertThat(answered.result()).isEqualTo("kept");
    batches.get(2).get(0).fail(new IllegalArgumentException("its own"));
    running.get(2).fail(new IllegalStateException("connection lost"));
    assertThat(a.cause()).hasMessage("its own");
    assertThat(b.cause()).hasMessage("connection lost");
  }

  @Test
  void aRunnerThatThrowsFailsItsBatchAndTheNextBatchStillRuns() {
    GroupCommit<Integer, String> throwing = new GroupCommit<>(1, 2, batch -> {
      if (batch.get(0).item == 1) {
        throw new IllegalStateException("bad");
      }
      batch.forEach(w -> w.succeed("fine"));
      return Future.succeededFuture();
    });
    assertThat(throwing.submit(1).cause()).hasMessage("bad");
    assertThat(throwing.submit(2).result()).isEqualTo("fine");
  }

  private void finish(int batch) {
    batches.get(batch).forEach(w -> w.succeed("ok"));
    running.get(batch).complete();
  }
}
