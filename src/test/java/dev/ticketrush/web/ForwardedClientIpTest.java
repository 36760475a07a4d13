package dev.ticketrush.web;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a trusted proxy the per-IP limit counts the client address that proxy saw (the rightmost X-Forwarded-For
 * entry), not the proxy's own address and not any entry the client wrote itself.
 */
class ForwardedClientIpTest {

  @Test
  @TicketRushNode({"trustForwarded=true", "rateLimitIp=1"})
  void perIpLimitFollowsForwardedClientWhenTrusted(Api api) {
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

  @Test
  @TicketRushNode({"trustForwarded=true", "rateLimitIp=1"})
  void forgedLeftmostEntriesShareTheBucketOfTheAddressTheProxySaw(Api api) {
    long ev = api.createEvent(1, 50, new JsonObject().put("maxSeatsPerUser", 100)).getLong("id");
    String path = "/api/events/" + ev + "/holds";
    // The client writes a new address in front every time; the proxy appends the one it saw, 10.0.0.1. Were the
    // leftmost entry used, every request would have a fresh bucket and none would be limited.
    int limited = 0;
    for (int i = 1; i <= 6; i++) {
      Api.Reply r = api.post(path, api.token("f" + i), "{\"seats\":[" + i + "]}",
          Map.of("X-Forwarded-For", "6.6.6." + i + ", 10.0.0.1"));
      if (r.status() == 429) {
        limited++;
        assertThat(r.code()).isEqualTo("rate_limited");
      }
    }
    assertThat(limited).as("requests seen from 10.0.0.1 share one bucket (burst 2)").isGreaterThanOrEqualTo(1);
    // Same forged entry, another address seen by the proxy: another bucket (so the key is not the socket address).
    Api.Reply other = api.post(path, api.token("g1"), "{\"seats\":[20]}",
        Map.of("X-Forwarded-For", "6.6.6.6, 10.0.0.2"));
    assertThat(other.status()).isEqualTo(201);
  }

  @Test
  void rightmostEntryIsTheClientAddress() {
    assertThat(ClientIp.rightmost(List.of("6.6.6.6, 10.0.0.1"))).isEqualTo("10.0.0.1");
    assertThat(ClientIp.rightmost(List.of("6.6.6.6", "7.7.7.7,10.0.0.3"))).as("several header lines").isEqualTo("10.0.0.3");
    assertThat(ClientIp.rightmost(List.of("10.0.0.1:4711"))).isEqualTo("10.0.0.1");
    assertThat(ClientIp.rightmost(List.of("[2001:db8::1]:443"))).isEqualTo("2001:db8::1");
    assertThat(ClientIp.rightmost(List.of("2001:db8::2"))).isEqualTo("2001:db8::2");
    assertThat(ClientIp.rightmost(List.of("10.0.0.1, not-an-ip"))).as("garbage: use the socket peer").isNull();
    assertThat(ClientIp.rightmost(List.of())).isNull();
  }
}
