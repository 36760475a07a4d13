package dev.ticketrush.queue;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-queue draw recomputed here, independently of the service's code, from what GET /queue/draw
 * publishes, equals the positions the service serves.
 */
@TicketRushNode
class DrawApiTest {
  TestNode node;
  Api api;

  @Test
  void theDrawRecomputedFromThePublishedDataEqualsTheServedPositions() throws Exception {
    Instant sale = Instant.now().plusMillis(3_000);
    long event = api.createEvent(1, 100, new JsonObject().put("queue", new JsonObject().put("enabled", true)
        .put("admitPerSecond", 2).put("maxActive", 1000).put("saleStartsAt", sale.toString()))).getLong("id");
    JsonObject before = api.get("/api/events/" + event + "/queue/draw", null).json();
    assertThat(before.getString("commitment")).matches("[0-9a-f]{64}");
    assertThat(before.containsKey("secret")).as("the secret stays hidden until the draw").isFalse();

    List<String> users = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      users.add("draw-" + i);
      tokens.add(api.token(users.get(i)));
      assertThat(api.post("/api/events/" + event + "/queue", tokens.get(i), "").json().getBoolean("preQueue")).isTrue();
    }
    assertThat(api.get("/api/events/" + event + "/queue/draw", null).json()).isEqualTo(before);

    JsonObject after = Await.until(() -> api.get("/api/events/" + event + "/queue/draw", null).json(),
        j -> j.containsKey("secret"), Duration.ofSeconds(20));
    String secret = after.getString("secret");
    assertThat(after.getString("commitment")).isEqualTo(before.getString("commitment"));
    HexFormat hex = HexFormat.of();
    assertThat(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(hex.parseHex(secret))))
        .as("the secret is the one committed to").isEqualTo(before.getString("commitment"));
    assertThat(after.getInteger("entrants")).isEqualTo(30);

    List<String> values = new ArrayList<>();
    for (String u : users) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hex.parseHex(secret), "HmacSHA256"));
      values.add(hex.formatHex(mac.doFinal(u.getBytes(StandardCharsets.UTF_8))));
    }
    List<String> order = after.getJsonArray("order").stream().map(Object::toString).toList();
    assertThat(order).isEqualTo(values.stream().sorted().toList());

    // Every waiting entrant's served place (serving + position, from one script call) is their draw rank;
    // admitted entrants are exactly the first ranks.
    long servedSeen = 0;
    List<Integer> admittedRanks = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      int rank = order.indexOf(values.get(i));
      JsonObject me = api.get("/api/events/" + event + "/queue/me", tokens.get(i)).json();
      if (me.getBoolean("admitted")) {
        admittedRanks.add(rank);
      } else {
        assertThat(me.getBoolean("preQueue")).isFalse();
        assertThat(me.getLong("serving") + me.getLong("position")).as(users.get(i) + "'s place").isEqualTo(rank);
        servedSeen = Math.max(servedSeen, me.getLong("serving"));
      }
    }
    JsonObject last = api.get("/api/events/" + event + "/queue/me", tokens.get(values.indexOf(order.get(29)))).json();
    long served = last.getBoolean("admitted") ? 30 : last.getLong("serving");
    for (int r : admittedRanks) {
      assertThat(r).as("admitted in draw order").isLessThan((int) served);
    }
    assertThat(api.get("/api/events/987654321/queue/draw", null).code()).isEqualTo("event_not_found");
  }
}
