package dev.ticketrush.queue;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Proof of work at queue join: a challenge is its user's, used once, and a wrong nonce is refused. */
@TicketRushNode
class JoinChallengeApiTest {
  static final int DIFFICULTY = 8;
  TestNode node;
  Api api;

  static String solve(String challenge, int difficulty) {
    for (long n = 0; ; n++) {
      if (JoinChallenges.solves(challenge, Long.toString(n), difficulty)) {
        return Long.toString(n);
      }
    }
  }

  static String wrong(String challenge, int difficulty) {
    for (long n = 0; ; n++) {
      if (!JoinChallenges.solves(challenge, Long.toString(n), difficulty)) {
        return Long.toString(n);
      }
    }
  }

  JsonObject challenge(long event, String token) {
    Api.Reply r = api.get("/api/events/" + event + "/queue/challenge", token);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  Api.Reply join(long event, String token, String challenge, String nonce) {
    return api.post("/api/events/" + event + "/queue", token,
        new JsonObject().put("challenge", challenge).put("nonce", nonce).encode());
  }

  @Test
  void challengesAreBoundToTheirUserUsableOnceAndMustBeSolved() {
    long event = api.createEvent(1, 10, new JsonObject().put("queue", new JsonObject().put("enabled", true)
        .put("admitPerSecond", 1).put("maxActive", 1).put("proofOfWork", DIFFICULTY))).getLong("id");
    String alice = api.token("pow-alice");
    String bob = api.token("pow-bob");

    Api.Reply bare = api.post("/api/events/" + event + "/queue", alice, "");
    assertThat(bare.status()).isEqualTo(403);
    assertThat(bare.code()).isEqualTo("challenge_failed");

    JsonObject ch = challenge(event, alice);
    assertThat(ch.getString("challenge")).matches("[0-9a-f]{32}");
    assertThat(ch.getInteger("difficulty")).isEqualTo(DIFFICULTY);
    assertThat(Instant.parse(ch.getString("expiresAt"))).isAfter(Instant.now());
    String c = ch.getString("challenge");

    assertThat(join(event, alice, c, wrong(c, DIFFICULTY)).code()).as("an unsolved nonce").isEqualTo("challenge_failed");
    String nonce = solve(c, DIFFICULTY);
    assertThat(join(event, bob, c, nonce).code()).as("alice's challenge, solved, presented by bob").isEqualTo("challenge_failed");
    Api.Reply ok = join(event, alice, c, nonce);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    Api.Reply replay = join(event, alice, c, nonce);
    assertThat(replay.status()).as("replayed").isEqualTo(403);
    assertThat(replay.code()).isEqualTo("challenge_failed");
    assertThat(join(event, alice, "not-hex", "1").code()).isEqualTo("challenge_failed");

    String bc = challenge(event, bob).getString("challenge");
    assertThat(join(event, bob, bc, solve(bc, DIFFICULTY)).status()).isEqualTo(200);
    assertThat(api.get("/api/events/" + event + "/queue/me", bob).status()).as("polling needs no proof").isEqualTo(200);
  }
}
