package dev.ticketrush.queue;

import dev.ticketrush.infra.Addresses;
import dev.ticketrush.queue.QueueGate;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The waiting room as a client sees it, over HTTP on one node. */
@TicketRushNode
class WaitingRoomApiTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  long queuedEvent(int admitPerSecond, int maxActive) {
    return queuedEvent(new JsonObject().put("enabled", true).put("admitPerSecond", admitPerSecond).put("maxActive", maxActive));
  }

  long queuedEvent(JsonObject queue) {
    return api.createEvent(1, 100, new JsonObject().put("queue", queue)).getLong("id");
  }

  Api.Reply join(long event, String token) {
    Api.Reply r = api.post("/api/events/" + event + "/queue", token, "");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r;
  }

  Api.Reply me(long event, String token) {
    return api.get("/api/events/" + event + "/queue/me", token);
  }

  Api.Reply holdWith(long event, String token, String entryToken, int seat) {
    return api.post("/api/events/" + event + "/holds", token, "{\"seats\":[" + seat + "]}",
        entryToken == null ? Map.of() : Map.of(QueueGate.ENTRY_TOKEN_HEADER, entryToken));
  }

  /** Polls until admitted (at most 10 s) and answers the admission. */
  JsonObject awaitAdmission(long event, String token) {
    JsonObject r = Await.until(() -> me(event, token).json(), j -> j.getBoolean("admitted"), Duration.ofSeconds(10));
    if (!r.getBoolean("admitted")) {
      throw new AssertionError("not admitted within 10 s");
    }
    return r;
  }

  /**
   * How many of the users (in arrival order) are admitted; asserts they are exactly the first ones. Polled from
   * the last to the first, so an admission during the sweep can only make an earlier user look admitted too.
   */
  int admittedPrefix(long event, List<String> tokens) {
    boolean[] admitted = new boolean[tokens.size()];
    for (int i = tokens.size() - 1; i >= 0; i--) {
      Api.Reply r = me(event, tokens.get(i));
      assertThat(r.status()).isEqualTo(200);
      admitted[i] = r.json().getBoolean("admitted");
    }
    int n = 0;
    while (n < admitted.length && admitted[n]) {
      n++;
    }
    for (int i = n; i < admitted.length; i++) {
      assertThat(admitted[i]).as("user " + i + " admitted while user " + n + " still waits").isFalse();
    }
    return n;
  }

  @Test
  void fortyUsersAreAdmittedInArrivalOrderAtTheConfiguredRate() {
    long event = queuedEvent(5, 1000);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tokens.add(api.token("forty-" + i));
    }
    long start = System.currentTimeMillis(); // admissions may begin with the first join
    for (int i = 0; i < 40; i++) {
      JsonObject r = join(event, tokens.get(i)).json();
      assertThat(r.getBoolean("admitted")).isFalse();
      assertThat(r.getLong("serving") + r.getLong("position")).as("user %d's place", i).isEqualTo(i);
      assertThat(r.getInteger("etaSeconds")).isGreaterThanOrEqualTo(1);
      assertThat(r.getBoolean("preQueue")).isFalse();
    }
    JsonObject again = join(event, tokens.get(39)).json();
    assertThat(again.getLong("serving") + again.getLong("position")).as("joining twice keeps the place").isEqualTo(39);

    // Liveness: admissions keep coming, in arrival order (admittedPrefix checks the order on every look).
    // Rate: never more than admitPerSecond × (elapsed + the 200 ms burst) + the first, however slow the box.
    long deadline = start + 30_000;
    int admitted = Await.until(() -> admittedPrefix(event, tokens), n -> n >= 10,
        Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis())), Duration.ofMillis(100));
    long elapsedMs = System.currentTimeMillis() - start;
    assertThat(admitted).as("admissions keep coming").isGreaterThanOrEqualTo(10);
    assertThat(admitted).as("at most 5/s over %d ms", elapsedMs).isLessThanOrEqualTo((int) (5 * (elapsedMs + 200) / 1000) + 1);

    JsonObject first = me(event, tokens.get(0)).json();
    assertThat(first.getString("entryToken")).isNotBlank();
    assertThat(Instant.parse(first.getString("expiresAt"))).isAfter(Instant.now().plusSeconds(500));
    assertThat(first.getBoolean("tokenRequired")).isTrue();
    assertThat(join(event, tokens.get(0)).json()).as("joining again answers the admission").isEqualTo(first);
    JsonObject last = me(event, tokens.get(39)).json();
    assertThat(last.getLong("serving") + last.getLong("position")).isEqualTo(39);
    assertThat(last.getInteger("etaSeconds")).isBetween(2, 20);
  }

  @Test
  void holdsNeedTheCallersOwnLiveEntryToken() {
    long event = queuedEvent(100, 1000);
    String alice = api.token("q-alice");
    String bob = api.token("q-bob");
    join(event, alice);
    join(event, bob);
    String aliceEntry = awaitAdmission(event, alice).getString("entryToken");
    String bobEntry = awaitAdmission(event, bob).getString("entryToken");

    Api.Reply none = holdWith(event, bob, null, 1);
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.code()).isEqualTo("admission_required");
    Api.Reply stolen = holdWith(event, bob, aliceEntry, 1);
    assertThat(stolen.status()).isEqualTo(403);
    assertThat(stolen.code()).isEqualTo("admission_required");
    String expired = node.app().entryTokens().issue(event, "q-alice", System.currentTimeMillis() - 1_000);
    Api.Reply late = holdWith(event, alice, expired, 1);
    assertThat(late.status()).isEqualTo(403);
    assertThat(late.code()).isEqualTo("admission_required");
    assertThat(late.json().getString("detail")).contains("expired");
    long otherEvent = queuedEvent(100, 1000);
    assertThat(holdWith(otherEvent, alice, aliceEntry, 1).code()).as("bound to the event").isEqualTo("admission_required");

    assertThat(holdWith(event, alice, aliceEntry, 1).status()).isEqualTo(201);
    assertThat(holdWith(event, bob, bobEntry, 2).status()).isEqualTo(201);
  }

  @Test
  void anEventWithoutAQueueAdmitsAtOnce() {
    long event = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String carol = api.token("q-carol");
    JsonObject r = join(event, carol).json();
    assertThat(r.getBoolean("admitted")).isTrue();
    assertThat(r.getBoolean("tokenRequired")).isFalse();
    assertThat(r.getString("entryToken")).isNotBlank();
    assertThat(me(event, carol).json().getBoolean("admitted")).isTrue();
    assertThat(holdWith(event, carol, null, 1).status()).as("no token needed").isEqualTo(201);
  }

  @Test
  void queueAnswersAreProblemsForStrangersAndUnknownEvents() {
    long event = queuedEvent(5, 10);
    Api.Reply stranger = me(event, api.token("q-stranger"));
    assertThat(stranger.status()).isEqualTo(404);
    assertThat(stranger.header("Content-Type")).startsWith("application/problem+json");
    assertThat(stranger.json().getString("detail")).contains("POST /api/events/" + event + "/queue");
    assertThat(api.post("/api/events/" + event + "/queue", null, "").code()).isEqualTo("unauthorized");
    assertThat(me(event, null).code()).isEqualTo("unauthorized");
    assertThat(api.post("/api/events/987654321/queue", api.token("x"), "").code()).isEqualTo("event_not_found");
  }

  @Test
  void thePreQueueWaitsForTheSaleThenLaterArrivalsQueueBehindIt() {
    Instant sale = Instant.now().plusMillis(2_500);
    long event = queuedEvent(new JsonObject().put("enabled", true).put("admitPerSecond", 200).put("maxActive", 1000)
        .put("saleStartsAt", sale.toString()));
    List<String> early = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      early.add(api.token("pre-" + i));
      JsonObject r = join(event, early.get(i)).json();
      assertThat(r.getBoolean("admitted")).isFalse();
      assertThat(r.getBoolean("preQueue")).isTrue();
      assertThat(Instant.parse(r.getString("saleStartsAt"))).isEqualTo(sale);
      assertThat(r.getInteger("etaSeconds")).isGreaterThanOrEqualTo(1);
    }
    Await.pause(Duration.ofMillis(500));
    assertThat(me(event, early.get(0)).json().getBoolean("admitted")).as("not before the sale").isFalse();

    Await.pause(Duration.ofMillis(Math.max(0, sale.toEpochMilli() - System.currentTimeMillis()) + 300));
    String late = api.token("pre-late");
    JsonObject r = join(event, late).json();
    if (!r.getBoolean("admitted")) {
      assertThat(r.getBoolean("preQueue")).isFalse();
    }
    JsonObject lateAdmission = awaitAdmission(event, late);
    for (String t : early) {
      JsonObject a = me(event, t).json();
      assertThat(a.getBoolean("admitted")).as("every early user comes before the late one").isTrue();
      assertThat(Instant.parse(a.getString("expiresAt"))).isBeforeOrEqualTo(Instant.parse(lateAdmission.getString("expiresAt")));
    }
  }

  @Test
  void progressIsPublishedAndMeasured(VertxTestContext frames) throws Throwable {
    long event = queuedEvent(50, 1000);
    Checkpoint progressed = frames.laxCheckpoint();
    MessageConsumer<JsonObject> consumer = node.app().vertx().eventBus().<JsonObject>localConsumer(Addresses.queue(event),
        m -> {
          if (m.body().getLong("serving") >= 3) {
            frames.verify(() -> {
              assertThat(m.body().getString("type")).isEqualTo("queue");
              assertThat(m.body().getLong("serving")).isBetween(3L, 5L);
              progressed.flag();
            });
          }
        });
    try {
      for (int i = 0; i < 5; i++) {
        join(event, api.token("frames-" + i));
      }
      assertThat(frames.awaitCompletion(10, TimeUnit.SECONDS)).as("a frame with serving >= 3").isTrue();
      if (frames.failed()) {
        throw frames.causeOfFailure();
      }
    } finally {
      Await.result(consumer.unregister());
    }
    String waiting = "ticketrush_queue_waiting{event=\"" + event + "\"} 0.0";
    String admitted = "ticketrush_queue_admitted_total{event=\"" + event + "\"} 5.0";
    String metrics = Await.until(() -> api.get("/metrics", null).body(), m -> m.contains(waiting) && m.contains(admitted),
        Duration.ofSeconds(5), Duration.ofMillis(100));
    assertThat(metrics).contains(waiting, admitted);
  }
}
