package dev.ticketrush.queue;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Entry tokens are bound to one user, one event and an expiry, and signed with the service secret. */
class EntryTokensTest {
  final EntryTokens tokens = new EntryTokens("test-secret-test-secret-test-secret");
  final long now = 1_800_000_000_000L;

  static void refused(Runnable r, String why) {
    assertThatThrownBy(r::run).as(why).isInstanceOfSatisfying(Rejection.class,
        p -> assertThat(p.outcome()).isEqualTo(Outcome.ADMISSION_REQUIRED));
  }

  @Test
  void aTokenIsValidForItsUserAndEventUntilItExpires() {
    String t = tokens.issue(7, "alice", now + 60_000);
    assertThatCode(() -> tokens.verify(t, 7, "alice", now)).doesNotThrowAnyException();
    assertThat(tokens.issue(7, "alice", now + 60_000)).as("deterministic: every poll answers the same token").isEqualTo(t);
    refused(() -> tokens.verify(t, 7, "bob", now), "another user");
    refused(() -> tokens.verify(t, 8, "alice", now), "another event");
    refused(() -> tokens.verify(t, 7, "alice", now + 60_000), "expired");
    refused(() -> tokens.verify(tokens.issue(7, "alice", now - 1), 7, "alice", now), "issued already expired");
  }

  @Test
  void forgedOrMalformedTokensAreRefused() {
    String t = tokens.issue(7, "alice", now + 60_000);
    String[] parts = t.split("\\.");
    refused(() -> tokens.verify(parts[0] + "." + parts[1] + "." + (now + 999_999) + "." + parts[3], 7, "alice", now), "extended expiry");
    refused(() -> tokens.verify(new EntryTokens("another-secret-another-secret").issue(7, "alice", now + 60_000), 7, "alice", now), "other secret");
    refused(() -> tokens.verify(null, 7, "alice", now), "missing");
    refused(() -> tokens.verify("", 7, "alice", now), "blank");
    refused(() -> tokens.verify("a.b.c", 7, "alice", now), "three parts");
    refused(() -> tokens.verify(parts[0] + "." + parts[1] + "." + parts[2] + ".***", 7, "alice", now), "bad base64");
  }
}
