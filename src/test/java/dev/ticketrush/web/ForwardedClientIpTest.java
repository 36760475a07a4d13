package dev.ticketrush.web;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Behind a trusted proxy the per-IP limit counts X-Forwarded-For clients, not the proxy's address. */
class ForwardedClientIpTest {

  @Test
  void perIpLimitFollowsForwardedClientWhenTrusted() {
    try (TestNode node = TestNode.start(new JsonObject().put("trustForwarded", true).put("rateLimitIp", 1))) {
      Api api = new Api(node);
      long ev = api.createEvent(1, 50, new JsonObject().put("maxSeatsPerUser", 100)).getLong("id");
      String path = "/api/events/" + ev + "/holds";
      // Documentation addresses (RFC 5737): only header values, no traffic goes there.
      Map<String, String> first = Map.of("X-Forwarded-For", "203.0.113.7");
      int limited = 0;
      for (int i = 1; i <= 4; i++) {
        Api.Reply r = api.post(path, api.token("u" + i), "{\"seats\":[" + i + "]}", first);
        if (r.status() == 429) {
          limited++;
          assertThat(r.code()).isEqualTo("rate_limited");
        }
      }
      assertThat(limited).as("burst of 2 per forwarded client").isGreaterThanOrEqualTo(1);
      Api.Reply other = api.post(path, api.token("u9"), "{\"seats\":[9]}", Map.of("X-Forwarded-For", "203.0.113.8"));
      assertThat(other.status()).isEqualTo(201);
    }
  }
}
