package dev.ticketrush.web;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Integration;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text fields are Unicode text the service stores exactly: any text of any script (emoji and other supplementary
 * characters included) comes back unchanged; NUL, other control characters and unpaired surrogates are a 400
 * {@code invalid_request}, never a 5xx, in every text field the service stores (event and category names, the
 * payment token). The bad values travel as JSON escapes ({@code \u0000}, {@code \uD800}), exactly as a hostile
 * client would send them.
 */
@Tag(Integration.TAG) // jqwik's own tag (it does not read JUnit's @Integration): the slow lane, as it starts a node
class UnicodeTextInputTest {
  static TestNode node;
  static Api api;
  static String admin;
  static long event;
  static String buyer;
  static JsonObject bought;
  static String boughtTicket;

  @BeforeContainer
  static void start() {
    node = TestNode.start();
    api = new Api(node);
    admin = api.token("text-admin", "admin");
    event = api.createEvent(1, 50, new JsonObject().put("maxSeatsPerUser", 100)).getLong("id");
    // A bought ticket whose transfer names a hostile recipient.
    buyer = api.token("text-holder");
    assertThat(api.hold(event, buyer, 50).status()).isEqualTo(201);
    bought = api.post("/api/events/" + event + "/orders", buyer, "{\"seats\":[50],\"paymentToken\":\"tok_ok\"}",
        Map.of("Idempotency-Key", UUID.randomUUID().toString())).json();
    boughtTicket = api.get("/api/orders/" + bought.getString("orderId"), buyer).json().getJsonArray("tickets")
        .getJsonObject(0).getString("id");
  }

  @AfterContainer
  static void stop() {
    node.close();
  }

  /** Text: code points of any plane except controls and surrogates, as the client means them. */
  @Provide
  Arbitrary<String> text() {
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0xA0, 0xD7FF)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFD)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    return codePoint.list().ofMinSize(1).ofMaxSize(40).map(cps -> {
      StringBuilder sb = new StringBuilder("n");
      cps.forEach(sb::appendCodePoint);
      return sb.toString();
    });
  }

  /** A JSON string literal of text with one bad code unit spliced in as an escape. */
  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<Integer> bad = Arbitraries.oneOf(Arbitraries.integers().between(0x00, 0x1F), Arbitraries.of(0x7F, 0x85, 0x9F),
        Arbitraries.integers().between(0xD800, 0xDFFF));
    return Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(10), bad, Arbitraries.strings().alpha().ofMaxLength(10))
        .as((a, b, c) -> "\"" + a + String.format("\\u%04X", b) + c + "\"");
  }

  static Api.Reply createNamed(String nameLiteral, String categoryNameLiteral) {
    String body = "{\"name\":" + nameLiteral + ",\"categories\":[{\"id\":\"c\",\"name\":" + categoryNameLiteral
        + ",\"price\":100}],\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2}]}";
    return api.post("/api/events", admin, body);
  }

  @Property(tries = 60)
  void anyTextIsStoredExactly(@ForAll("text") String name) {
    String literal = new JsonObject().put("n", name).encode();
    literal = literal.substring(5, literal.length() - 1);
    Api.Reply created = createNamed(literal, literal);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonObject e = api.get("/api/events/" + created.json().getLong("id"), null).json();
    assertThat(e.getString("name")).isEqualTo(name.strip());
    assertThat(e.getJsonArray("categories").getJsonObject(0).getString("name")).isEqualTo(name.strip());
  }

  @Property(tries = 60)
  void controlCharactersAndLoneSurrogatesAreInvalidRequests(@ForAll("hostile") String literal) {
    assertInvalid(createNamed(literal, "\"fine\""));
    assertInvalid(createNamed("\"fine\"", literal));
    String token = api.token("text-fan");
    Api.Reply order = api.post("/api/events/" + event + "/orders", token,
        "{\"seats\":[1],\"paymentToken\":" + literal + "}", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertInvalid(order);
  }

  /** Every string field of event creation, with {@code @} where the hostile literal goes (the rest is valid). */
  static final List<String> EVENT_BODIES = List.of(
      "{\"name\":@,\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2}]}",
      "{\"name\":\"n\",\"currency\":@,\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2}]}",
      "{\"name\":\"n\",\"categories\":[{\"id\":@,\"name\":\"c\",\"price\":1}],"
          + "\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2}]}",
      "{\"name\":\"n\",\"categories\":[{\"id\":\"c\",\"name\":@,\"price\":1}],"
          + "\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2}]}",
      "{\"name\":\"n\",\"sections\":[{\"name\":@,\"rows\":1,\"seatsPerRow\":2}]}",
      "{\"name\":\"n\",\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2,\"category\":@}]}",
      "{\"name\":\"n\",\"sections\":[{\"name\":\"A\",\"rows\":2,\"seatsPerRow\":2,"
          + "\"rowCategories\":[{\"fromRow\":1,\"toRow\":1,\"category\":@}]}]}",
      "{\"name\":\"n\",\"sections\":[{\"name\":\"F\",\"standing\":true,\"capacity\":3,\"category\":@}]}",
      "{\"name\":\"n\",\"salesStartAt\":@,\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2}]}",
      "{\"name\":\"n\",\"salesEndAt\":@,\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2}]}",
      "{\"name\":\"n\",\"queue\":{\"enabled\":true,\"saleStartsAt\":@},"
          + "\"sections\":[{\"name\":\"A\",\"rows\":1,\"seatsPerRow\":2}]}");

  /** Every string field of PATCH /events/{id} and of what a buyer sends about orders. */
  static final List<String> PATCH_BODIES = List.of("{\"salesStartAt\":@}", "{\"salesEndAt\":@}");

  @Property(tries = 60)
  void everyTextFieldRefusesWhatIsNotText(@ForAll("hostile") String literal) {
    for (String body : EVENT_BODIES) {
      assertInvalid(api.post("/api/events", admin, body.replace("@", literal)));
    }
    for (String body : PATCH_BODIES) {
      assertInvalid(api.patch("/api/events/" + event, admin, body.replace("@", literal)));
    }
    String fan = api.token("text-buyer");
    assertInvalid(api.post("/api/events/" + event + "/holds/best", fan, "{\"count\":1,\"section\":" + literal + "}"));
    assertInvalid(api.post("/api/events/" + event + "/holds/best", fan, "{\"count\":1,\"category\":" + literal + "}"));
    assertInvalid(api.post("/api/orders/" + bought.getString("orderId") + "/tickets/" + boughtTicket + "/transfer", buyer,
        "{\"to\":" + literal + "}"));
  }

  static void assertInvalid(Api.Reply r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_request");
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
  }
}
