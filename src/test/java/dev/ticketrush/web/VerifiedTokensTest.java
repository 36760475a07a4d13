package dev.ticketrush.web;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokensTest {
  static final Caller ALICE = new Caller("alice", Set.of());

  @Test
  void anEntryNeverOutlivesTheTokensExpiry() {
    VerifiedTokens tokens = new VerifiedTokens();
    tokens.put("t", ALICE, 1_000, 0);
    assertThat(tokens.get("t", 999)).isEqualTo(ALICE);
    assertThat(tokens.get("t", 1_000)).isNull();
    assertThat(tokens.get("t", 500)).as("removed once expired").isNull();
  }

  @Test
  void anEntryLivesAtMostTheTtl() {
    VerifiedTokens tokens = new VerifiedTokens();
    tokens.put("t", ALICE, Long.MAX_VALUE, 10_000);
    assertThat(tokens.get("t", 10_000 + VerifiedTokens.TTL_MS - 1)).isEqualTo(ALICE);
    assertThat(tokens.get("t", 10_000 + VerifiedTokens.TTL_MS)).isNull();
  }

  @Test
  void theCacheIsBounded() {
    VerifiedTokens tokens = new VerifiedTokens();
    for (int i = 0; i <= VerifiedTokens.MAX_ENTRIES; i++) {
      tokens.put("t" + i, ALICE, Long.MAX_VALUE, 0);
    }
    assertThat(tokens.get("t0", 1)).as("least recently used is evicted").isNull();
    assertThat(tokens.get("t" + VerifiedTokens.MAX_ENTRIES, 1)).isEqualTo(ALICE);
  }
}
