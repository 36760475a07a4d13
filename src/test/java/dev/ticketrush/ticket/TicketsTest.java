package dev.ticketrush.ticket;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.TicketRushNode;
import dev.ticketrush.support.TicketRushNode.Second;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Signed tickets and the door, over HTTP on two nodes sharing Redis and PostgreSQL. */
@TicketRushNode
class TicketsTest {
  Api a;
  @Second
  Api b;

  @Test
  void orderListsSignedTicketsVerifiableWithThePublishedKeys() throws Exception {
    long ev = a.createEvent(2, 10, new JsonObject()).getLong("id");
    String alice = a.token("alice-" + ev);
    JsonObject order = buy(a, ev, alice, 3, 14);

    Api.Reply one = a.get("/api/orders/" + order.getString("orderId"), alice);
    assertThat(one.status()).isEqualTo(200);
    JsonArray tickets = one.json().getJsonArray("tickets");
    assertThat(tickets).hasSize(2);
    JsonObject t = tickets.getJsonObject(1);
    assertThat(t.getInteger("seat")).isEqualTo(14);
    assertThat(t.getString("label")).isEqualTo("A-02-004");
    assertThat(t.getString("status")).isEqualTo("VALID");

    // Verified by the library against the JWKS the other node publishes: no lookup, no shared state.
    Api.Reply keys = b.get("/api/events/" + ev + "/ticket-keys", null);
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.body()).doesNotContain("\"d\"");
    JWKSet set = JWKSet.parse(keys.body());
    SignedJWT jwt = SignedJWT.parse(t.getString("code"));
    ECKey key = (ECKey) set.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getStringClaim("tid")).isEqualTo(t.getString("id"));
    assertThat(jwt.getJWTClaimsSet().getLongClaim("eid")).isEqualTo(ev);
    assertThat(jwt.getJWTClaimsSet().getIntegerClaim("seat")).isEqualTo(14);
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice-" + ev);

    // The order stored no codes; the first listing signed and stored them, so every later listing (any node)
    // answers the very same codes.
    Api.Reply mine = b.get("/api/events/" + ev + "/tickets/me", alice);
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.json().getJsonArray("tickets")).isEqualTo(tickets);
    assertThat(b.get("/api/events/" + ev + "/tickets/me", a.token("nobody-" + ev)).json().getJsonArray("tickets")).isEmpty();
    assertThat(a.get("/api/events/999999999/ticket-keys", null).status()).isEqualTo(404);
  }

  @Test
  void sixtyFourScansOfOneCodeAcrossTwoNodesAdmitExactlyOnce() throws Exception {
    long ev = a.createEvent(1, 10, new JsonObject()).getLong("id");
    String bob = a.token("bob-" + ev);
    buy(a, ev, bob, 5);
    String code = a.get("/api/events/" + ev + "/tickets/me", bob).json().getJsonArray("tickets").getJsonObject(0).getString("code");
    String scannerA = a.token("door-a", "scanner");
    String scannerB = b.token("door-b", "scanner");
    String body = new JsonObject().put("code", code).encode();

    List<CompletableFuture<Api.Reply>> scans = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      Api node = i % 2 == 0 ? a : b;
      scans.add(node.postAsync("/api/events/" + ev + "/checkins", i % 2 == 0 ? scannerA : scannerB, body, Map.of()));
    }
    List<Api.Reply> replies = new ArrayList<>();
    for (CompletableFuture<Api.Reply> f : scans) {
      replies.add(f.get(60, TimeUnit.SECONDS));
    }
    List<Api.Reply> admitted = replies.stream().filter(r -> r.status() == 200).toList();
    assertThat(admitted).hasSize(1);
    String at = admitted.get(0).json().getString("checkedInAt");
    assertThat(admitted.get(0).json().getJsonObject("ticket").getString("status")).isEqualTo("USED");
    assertThat(replies).allSatisfy(r -> {
      if (r.status() != 200) {
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("already_checked_in");
        assertThat(r.json().getString("checkedInAt")).isEqualTo(at);
      }
    });

    JsonObject sync = a.get("/api/events/" + ev + "/checkins", scannerA).json();
    assertThat(sync.getLong("checkedIn")).isEqualTo(1);
    assertThat(sync.getLong("valid")).isZero();
    assertThat(a.get("/api/events/" + ev + "/tickets/me", bob).json().getJsonArray("tickets").getJsonObject(0)
        .getString("status")).isEqualTo("USED");
  }

  @Test
  void forgedForeignAndAlgorithmSwitchedCodesAreInvalidAndOnlyDoorRolesScan() throws Exception {
    long ev = a.createEvent(1, 10, new JsonObject()).getLong("id");
    long other = a.createEvent(1, 10, new JsonObject()).getLong("id");
    String carol = a.token("carol-" + ev);
    buy(a, other, carol, 1);
    String foreign = a.get("/api/events/" + other + "/tickets/me", carol).json().getJsonArray("tickets")
        .getJsonObject(0).getString("code");
    SignedJWT real = SignedJWT.parse(foreign);
    String admin = a.token("boss", "admin");
    String path = "/api/events/" + ev + "/checkins";

    // a valid ticket of another event
    assertInvalid(a.post(path, admin, scan(foreign)));
    // alg none with the same claims
    assertInvalid(a.post(path, admin, scan(new PlainJWT(real.getJWTClaimsSet()).serialize())));
    // HS256 keyed with the published public key
    ECKey pub = (ECKey) JWKSet.parse(a.get("/api/events/" + ev + "/ticket-keys", null).body()).getKeys().get(0);
    SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(pub.getKeyID()).build(), real.getJWTClaimsSet());
    hs.sign(new MACSigner(pub.toECPublicKey().getEncoded()));
    assertInvalid(a.post(path, admin, scan(hs.serialize())));
    // a flipped signature byte
    String sig = foreign.substring(foreign.lastIndexOf('.') + 1);
    String flipped = foreign.substring(0, foreign.lastIndexOf('.') + 1) + (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
    assertInvalid(a.post("/api/events/" + other + "/checkins", admin, scan(flipped)));
    assertInvalid(a.post(path, admin, scan("garbage")));

    // A buyer cannot check their own ticket in; nor can anyone without a token.
    assertThat(a.post("/api/events/" + other + "/checkins", carol, scan(foreign)).status()).isEqualTo(403);
    assertThat(a.post("/api/events/" + other + "/checkins", null, scan(foreign)).status()).isEqualTo(401);
    assertThat(a.get("/api/events/" + other + "/checkins", carol).status()).isEqualTo(403);
    assertThat(a.post(path, admin, "{\"code\": 5}").status()).isEqualTo(400);
    assertThat(a.get(path + "?since=abc", admin).status()).isEqualTo(400);
    // ...and nothing of that checked anything in
    assertThat(a.get("/api/events/" + other + "/checkins", admin).json().getLong("checkedIn")).isZero();
  }

  @Test
  void transferIssuesANewCodeAndVoidsTheOldAtOnce() throws Exception {
    long ev = a.createEvent(1, 10, new JsonObject()).getLong("id");
    String dana = a.token("dana-" + ev);
    String erin = a.token("erin-" + ev);
    String orderId = buy(a, ev, dana, 2, 3).getString("orderId");
    JsonObject old = a.get("/api/orders/" + orderId, dana).json().getJsonArray("tickets").getJsonObject(0);
    String path = "/api/orders/" + orderId + "/tickets/" + old.getString("id") + "/transfer";
    String give = new JsonObject().put("to", "erin-" + ev).encode();

    // Only its holder may move it.
    assertThat(a.post(path, erin, new JsonObject().put("to", "frank").encode()).code()).isEqualTo("order_not_found");
    assertThat(a.post(path, dana, new JsonObject().put("to", "dana-" + ev).encode()).status()).isEqualTo(400);
    assertThat(a.post("/api/orders/" + orderId + "/tickets/nope/transfer", dana, give).status()).isEqualTo(404);
    assertThat(a.post(path, dana, "{\"to\": \"\"}").status()).isEqualTo(400);

    Api.Reply moved = b.post(path, dana, give);
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    JsonObject fresh = moved.json();
    assertThat(fresh.getString("id")).isNotEqualTo(old.getString("id"));
    assertThat(fresh.getString("code")).isNotEqualTo(old.getString("code"));
    assertThat(fresh.getInteger("seat")).isEqualTo(2);
    assertThat(fresh.getString("status")).isEqualTo("VALID");
    assertThat(SignedJWT.parse(fresh.getString("code")).getJWTClaimsSet().getSubject()).isEqualTo("erin-" + ev);

    // The giver sees the old ticket void and no longer the new code; the receiver holds it.
    JsonArray danas = a.get("/api/orders/" + orderId, dana).json().getJsonArray("tickets");
    assertThat(danas.getJsonObject(0).getString("status")).isEqualTo("VOID");
    assertThat(danas.encode()).doesNotContain(fresh.getString("code"));
    assertThat(a.get("/api/events/" + ev + "/tickets/me", erin).json().getJsonArray("tickets")).containsExactly(fresh);

    String door = a.token("door", "scanner");
    Api.Reply stale = a.post("/api/events/" + ev + "/checkins", door, scan(old.getString("code")));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.code()).isEqualTo("ticket_void");
    assertThat(a.post(path, dana, give).code()).isEqualTo("ticket_void");
    assertThat(b.post("/api/events/" + ev + "/checkins", door, scan(fresh.getString("code"))).status()).isEqualTo(200);

    // A checked-in ticket cannot move.
    JsonObject second = a.get("/api/orders/" + orderId, dana).json().getJsonArray("tickets").getJsonObject(1);
    assertThat(a.post("/api/events/" + ev + "/checkins", door, scan(second.getString("code"))).status()).isEqualTo(200);
    Api.Reply used = a.post("/api/orders/" + orderId + "/tickets/" + second.getString("id") + "/transfer", dana, give);
    assertThat(used.status()).isEqualTo(409);
    assertThat(used.code()).isEqualTo("ticket_used");
  }

  private static void assertInvalid(Api.Reply r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("ticket_invalid");
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
  }

  static String scan(String code) {
    return new JsonObject().put("code", code).encode();
  }

  static JsonObject buy(Api api, long ev, String user, int... seats) {
    JsonArray list = new JsonArray();
    for (int s : seats) {
      list.add(s);
    }
    Api.Reply held = api.hold(ev, user, seats);
    assertThat(held.status()).as(held.toString()).isEqualTo(201);
    Api.Reply r = api.post("/api/events/" + ev + "/orders", user,
        new JsonObject().put("seats", list).put("paymentToken", "tok_ok").encode(),
        Map.of("Idempotency-Key", "buy-" + java.util.UUID.randomUUID()));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }
}
