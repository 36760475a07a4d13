package dev.ticketrush.event;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The box office over HTTP: prices and categories, standing areas, best by price, the sale window and pause. */
@TicketRushNode
class BoxOfficeApiTest {
  TestNode node; // set by @TicketRushNode
  Api api;
  String admin;

  @BeforeEach
  void admin() {
    admin = api.token("box-admin", "admin");
  }

  static JsonObject category(String id, String name, long price) {
    return new JsonObject().put("id", id).put("name", name).put("price", price);
  }

  /** Front stalls A rows 1-2 (vip 12000), stalls A rows 3-4 (6000), balcony B (3000), a floor of 5 (4000). */
  static JsonObject pricedVenue() {
    return new JsonObject().put("name", "Priced").put("currency", "EUR")
        .put("categories", new JsonArray().add(category("stalls", "Stalls", 6000)).add(category("vip", "Front stalls", 12000))
            .add(category("balcony", "Balcony", 3000)).add(category("floor", "Floor", 4000)))
        .put("sections", new JsonArray()
            .add(new JsonObject().put("name", "A").put("rows", 4).put("seatsPerRow", 5)
                .put("rowCategories", new JsonArray().add(new JsonObject().put("fromRow", 1).put("toRow", 2).put("category", "vip"))))
            .add(new JsonObject().put("name", "B").put("rows", 2).put("seatsPerRow", 5).put("category", "balcony"))
            .add(new JsonObject().put("name", "Floor").put("standing", true).put("capacity", 5).put("category", "floor")));
  }

  long create(JsonObject body) {
    Api.Reply r = api.post("/api/events", admin, body.encode());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getLong("id");
  }

  Api.Reply patch(long ev, JsonObject body) {
    return patch(ev, body, admin);
  }

  Api.Reply patch(long ev, JsonObject body, String token) {
    return api.patch("/api/events/" + ev, token, body.encode());
  }

  Api.Reply best(long ev, String token, JsonObject body) {
    return api.post("/api/events/" + ev + "/holds/best", token, body.encode());
  }

  @Test
  @DisplayName("the event shows its currency, categories and section categories; every seat in the layout its category and price")
  void pricesOnTheEventAndTheLayout() {
    long ev = create(pricedVenue());
    JsonObject e = api.get("/api/events/" + ev, null).json();
    assertThat(e.getString("currency")).isEqualTo("EUR");
    assertThat(e.getJsonArray("categories")).hasSize(4);
    assertThat(e.getInteger("seatCount")).isEqualTo(35);
    JsonArray secs = e.getJsonArray("sections");
    assertThat(secs.getJsonObject(0).getString("category")).isEqualTo("stalls"); // the first category by default
    assertThat(secs.getJsonObject(0).getJsonArray("rowCategories").getJsonObject(0).getString("category")).isEqualTo("vip");
    assertThat(secs.getJsonObject(2).getBoolean("standing")).isTrue();
    assertThat(e.containsKey("maxTicketsPerUser")).isTrue();
    assertThat(e.getBoolean("onSale")).isTrue();

    JsonArray seats = api.get("/api/events/" + ev + "/layout", null).json().getJsonArray("seats");
    assertThat(seats).hasSize(35);
    assertThat(seats.getJsonObject(0).getString("category")).isEqualTo("vip");
    assertThat(seats.getJsonObject(0).getLong("price")).isEqualTo(12000L);
    assertThat(seats.getJsonObject(10).getString("category")).isEqualTo("stalls"); // A row 3
    assertThat(seats.getJsonObject(10).getLong("price")).isEqualTo(6000L);
    assertThat(seats.getJsonObject(20).getString("category")).isEqualTo("balcony");
    JsonObject floor = seats.getJsonObject(30);
    assertThat(floor.getBoolean("standing")).isTrue();
    assertThat(floor.getString("section")).isEqualTo("Floor");
    assertThat(floor.containsKey("row")).isFalse();
    assertThat(floor.getLong("price")).isEqualTo(4000L);
  }

  @Test
  @DisplayName("an event without categories has one standard category at 5000 in USD")
  void defaults() {
    long ev = api.createEvent(1, 3, new JsonObject()).getLong("id");
    JsonObject e = api.get("/api/events/" + ev, null).json();
    assertThat(e.getString("currency")).isEqualTo("USD");
    assertThat(e.getJsonArray("categories").getJsonObject(0).getMap())
        .isEqualTo(Map.of("id", "standard", "name", "Standard", "price", 5000));
    JsonObject seat = api.get("/api/events/" + ev + "/layout", null).json().getJsonArray("seats").getJsonObject(0);
    assertThat(seat.getString("category")).isEqualTo("standard");
    assertThat(seat.getLong("price")).isEqualTo(5000L);
  }

  @Test
  @DisplayName("unknown categories, overlapping or out-of-range rows, a bad currency and a malformed standing area are 400")
  void invalidPriceRules() {
    JsonObject unknownSection = pricedVenue();
    unknownSection.getJsonArray("sections").getJsonObject(1).put("category", "nosuch");
    JsonObject unknownRows = pricedVenue();
    unknownRows.getJsonArray("sections").getJsonObject(0).getJsonArray("rowCategories").getJsonObject(0).put("category", "nosuch");
    JsonObject overlap = pricedVenue();
    overlap.getJsonArray("sections").getJsonObject(0).getJsonArray("rowCategories")
        .add(new JsonObject().put("fromRow", 2).put("toRow", 3).put("category", "balcony"));
    JsonObject outOfRange = pricedVenue();
    outOfRange.getJsonArray("sections").getJsonObject(0).getJsonArray("rowCategories").getJsonObject(0).put("toRow", 5);
    JsonObject currency = pricedVenue().put("currency", "eur");
    JsonObject twice = pricedVenue();
    twice.getJsonArray("categories").add(category("vip", "Again", 1));
    JsonObject standingWithRows = pricedVenue();
    standingWithRows.getJsonArray("sections").getJsonObject(2).put("rows", 2);
    JsonObject seatedWithoutRows = pricedVenue();
    seatedWithoutRows.getJsonArray("sections").getJsonObject(1).remove("rows");
    JsonObject window = pricedVenue().put("salesStartAt", "2030-01-02T00:00:00Z").put("salesEndAt", "2030-01-01T00:00:00Z");
    JsonObject price = pricedVenue();
    price.getJsonArray("categories").getJsonObject(0).put("price", -1);
    for (JsonObject body : List.of(unknownSection, unknownRows, overlap, outOfRange, currency, twice, standingWithRows,
        seatedWithoutRows, window, price)) {
      Api.Reply r = api.post("/api/events", admin, body.encode());
      assertThat(r.status()).as(body.encode() + " → " + r).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_request");
    }
  }

  @Test
  @DisplayName("a standing area is taken by count through best available, any free places; best without a section stays seated")
  void standingArea() {
    long ev = create(pricedVenue());
    String t = api.token("fan-floor");
    Api.Reply first = best(ev, t, new JsonObject().put("count", 3).put("section", "Floor"));
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    assertThat(first.json().getJsonArray("seats").getList()).containsExactly(31, 32, 33);
    // Another fan takes one of the remaining two; the third fan then finds only one place left.
    assertThat(api.hold(ev, api.token("fan-floor-2"), 35).status()).isEqualTo(201);
    Api.Reply tooMany = best(ev, api.token("fan-floor-3"), new JsonObject().put("count", 2).put("section", "Floor"));
    assertThat(tooMany.code()).isEqualTo("seats_not_available");
    Api.Reply last = best(ev, api.token("fan-floor-3"), new JsonObject().put("count", 1).put("category", "floor"));
    assertThat(last.json().getJsonArray("seats").getList()).containsExactly(34);
    Api.Reply seated = best(ev, api.token("fan-seated"), new JsonObject().put("count", 2));
    assertThat(seated.json().getJsonArray("seats").getList()).allSatisfy(s -> assertThat((Integer) s).isLessThanOrEqualTo(30));
  }

  @Test
  @DisplayName("best available by category and by maximum price")
  void bestByCategoryAndPrice() {
    long ev = create(pricedVenue());
    Api.Reply balcony = best(ev, api.token("fan-b"), new JsonObject().put("count", 2).put("category", "balcony"));
    assertThat(balcony.json().getJsonArray("seats").getList()).containsExactly(21, 22); // B row 1: the centre pair would leave an orphan
    Api.Reply cheap = best(ev, api.token("fan-c"), new JsonObject().put("count", 2).put("maxPrice", 6000));
    assertThat(cheap.json().getJsonArray("seats").getList()).containsExactly(11, 12); // A row 3 (stalls), leaves no orphan
    Api.Reply vip = best(ev, api.token("fan-v"), new JsonObject().put("count", 1).put("category", "vip").put("maxPrice", 100));
    assertThat(vip.code()).isEqualTo("seats_not_available");
    Api.Reply unknown = best(ev, api.token("fan-u"), new JsonObject().put("count", 1).put("category", "nosuch"));
    assertThat(unknown.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("before the start: sale_not_open with Retry-After and opensAt; PATCH opens it, pauses it and closes it")
  void saleWindowAndPause() {
    Instant opens = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    long ev = create(pricedVenue().put("salesStartAt", opens.toString()));
    String fan = api.token("fan-window");
    Api.Reply early = api.hold(ev, fan, 1);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.code()).isEqualTo("sale_not_open");
    assertThat(early.json().getString("opensAt")).isEqualTo(opens.toString());
    assertThat(Long.parseLong(early.header("Retry-After"))).isBetween(3500L, 3600L);
    assertThat(best(ev, fan, new JsonObject().put("count", 1)).code()).isEqualTo("sale_not_open");

    Api.Reply opened = patch(ev, new JsonObject().putNull("salesStartAt").put("maxTicketsPerUser", 3));
    assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
    assertThat(opened.json().getValue("salesStartAt")).isNull();
    assertThat(opened.json().getInteger("maxTicketsPerUser")).isEqualTo(3);
    assertThat(api.get("/api/events/" + ev, null).json().getInteger("maxTicketsPerUser")).isEqualTo(3);
    assertThat(api.hold(ev, fan, 1, 2).status()).isEqualTo(201);

    assertThat(patch(ev, new JsonObject().put("onSale", false)).json().getBoolean("onSale")).isFalse();
    assertThat(api.hold(ev, fan, 3).code()).isEqualTo("sale_paused");
    // A hold made before the pause can still be bought.
    Api.Reply bought = order(ev, fan, 1);
    assertThat(bought.status()).as(bought.toString()).isEqualTo(201);

    assertThat(patch(ev, new JsonObject().put("onSale", true)).status()).isEqualTo(200);
    assertThat(api.hold(ev, fan, 3).status()).isEqualTo(201);
    assertThat(patch(ev, new JsonObject().put("salesEndAt", Instant.now().minusSeconds(1).toString())).status()).isEqualTo(200);
    assertThat(api.hold(ev, fan, 4).code()).isEqualTo("sale_closed");
    Api.Reply late = order(ev, fan, 2);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.code()).isEqualTo("sale_closed");

    Api.Reply backwards = patch(ev, new JsonObject().put("salesStartAt", Instant.now().toString()));
    assertThat(backwards.status()).isEqualTo(400);
    assertThat(patch(ev + 100_000, new JsonObject().put("onSale", true)).code()).isEqualTo("event_not_found");
    assertThat(patch(ev, new JsonObject().put("onSale", true), fan).code()).isEqualTo("forbidden");
  }

  @Test
  @DisplayName("sale rules Redis lost or holds at an older revision are put back from PostgreSQL")
  void staleSaleRulesInRedisArePutBack() {
    long ev = create(pricedVenue());
    assertThat(patch(ev, new JsonObject().put("onSale", false)).status()).isEqualTo(200);
    String fan = api.token("fan-stale");
    assertThat(api.hold(ev, fan, 1).code()).isEqualTo("sale_paused");
    // As if the PATCH's Redis write had been lost: Redis says "open" at an older revision.
    RedisLink redis = new RedisLink(node.app().vertx(), node.app().config().redis().url());
    try {
      Await.result(redis.send(Request.cmd(Command.HSET).arg(Keyspace.saleRules(ev)).arg("rev").arg(0).arg("on").arg("1")),
          Duration.ofSeconds(5));
    } finally {
      redis.close();
    }
    // The reconciler (every second in tests) restores the paused rules; poll until it has. Each probe is a hold
    // (held, or held again, while Redis wrongly says open).
    Api.Reply r = Await.until(() -> api.hold(ev, fan, 1), h -> "sale_paused".equals(h.code()), Duration.ofSeconds(20),
        Duration.ofMillis(100));
    assertThat(r.code()).isEqualTo("sale_paused");
  }

  Api.Reply order(long ev, String token, int... seats) {
    JsonArray ids = new JsonArray();
    for (int s : seats) {
      ids.add(s);
    }
    return api.post("/api/events/" + ev + "/orders", token,
        new JsonObject().put("seats", ids).put("paymentToken", "tok_ok").encode(),
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
  }

  @Test
  @DisplayName("the order's total comes from the seats' prices, in the event's currency, and is what the gateway charged")
  void theOrderIsChargedItsTotal() {
    long ev = create(pricedVenue());
    String fan = api.token("fan-money");
    // Seat 1: front stalls (12000), seat 11: stalls (6000), seat 31: the floor (4000).
    assertThat(api.hold(ev, fan, 1, 11, 31).status()).isEqualTo(201);
    Api.Reply bought = order(ev, fan, 1, 11, 31);
    assertThat(bought.status()).as(bought.toString()).isEqualTo(201);
    assertThat(bought.json().getString("currency")).isEqualTo("EUR");
    assertThat(bought.json().getLong("total")).isEqualTo(22_000L);
    JsonArray items = bought.json().getJsonArray("items");
    assertThat(items).as(bought.toString()).hasSize(3);
    assertThat(items.getJsonObject(0).getMap()).containsEntry("seat", 1).containsEntry("label", "A-01-001")
        .containsEntry("category", "vip").containsEntry("price", 12_000);
    assertThat(items.getJsonObject(1).getString("category")).isEqualTo("stalls");
    assertThat(items.getJsonObject(2).getMap()).containsEntry("category", "floor").containsEntry("price", 4_000);
    long sum = items.stream().mapToLong(i -> ((JsonObject) i).getLong("price")).sum();
    assertThat(sum).isEqualTo(bought.json().getLong("total"));
    JsonObject read = api.get("/api/orders/" + bought.json().getString("orderId"), fan).json();
    assertThat(read.getJsonArray("items")).isEqualTo(items);
    JsonObject audit = api.get("/api/events/" + ev + "/audit", admin).json();
    JsonObject payments = audit.getJsonObject("payments");
    assertThat(payments.getLong("revenue")).as(payments.encode()).isEqualTo(22_000L);
    assertThat(payments.getInteger("capturedCharges")).isEqualTo(1);
    assertThat(audit.getJsonObject("revenue").getMap()).containsEntry("currency", "EUR")
        .containsEntry("confirmedTotal", 22_000).containsEntry("refundedTotal", 0);
  }

  @Test
  @DisplayName("a free order (total 0) is confirmed without a charge: the gateway never hears of it, and the audit is clean")
  void aFreeOrderConfirmsWithoutACharge() {
    long ev = create(new JsonObject().put("name", "Free").put("currency", "EUR")
        .put("categories", new JsonArray().add(category("guest", "Guest list", 0)).add(category("paid", "Paid", 2500)))
        .put("sections", new JsonArray()
            .add(new JsonObject().put("name", "G").put("rows", 1).put("seatsPerRow", 4).put("category", "guest"))
            .add(new JsonObject().put("name", "P").put("rows", 1).put("seatsPerRow", 4).put("category", "paid"))));
    String fan = api.token("fan-free");
    assertThat(api.hold(ev, fan, 1, 2).status()).isEqualTo(201);
    Api.Reply bought = order(ev, fan, 1, 2);
    assertThat(bought.status()).as(bought.toString()).isEqualTo(201);
    assertThat(bought.json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(bought.json().getLong("total")).isZero();
    assertThat(bought.json().getJsonArray("items").getJsonObject(0).getLong("price")).isZero();
    assertThat(api.seats(ev).getJsonArray("sold").getList()).containsExactlyInAnyOrder(1, 2);
    JsonObject read = api.get("/api/orders/" + bought.json().getString("orderId"), fan).json();
    assertThat(read.getLong("total")).isZero();
    assertThat(read.getJsonArray("tickets")).hasSize(2);
    // A paid order beside it is charged as usual.
    assertThat(api.hold(ev, fan, 5).status()).isEqualTo(201);
    assertThat(order(ev, fan, 5).json().getLong("total")).isEqualTo(2_500L);
    JsonObject audit = api.get("/api/events/" + ev + "/audit", admin).json();
    assertThat(audit.getBoolean("ok")).as(audit.encode()).isTrue();
    assertThat(audit.getJsonObject("payments").getInteger("gatewayCharges")).as("only the paid order reached the gateway").isEqualTo(1);
    assertThat(audit.getJsonObject("payments").getInteger("confirmedPurchases")).isEqualTo(1);
    assertThat(audit.getJsonObject("revenue").getLong("confirmedTotal")).isEqualTo(2_500L);
    assertThat(audit.getLong("confirmedOrders")).isEqualTo(2L);
  }

  @Test
  @DisplayName("a queue without its own draw time draws when the sale opens")
  void waitingRoomDrawDefaultsToTheSaleStart() {
    Instant opens = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    long ev = create(pricedVenue().put("salesStartAt", opens.toString()).put("queue", new JsonObject().put("enabled", true)));
    JsonObject e = api.get("/api/events/" + ev, null).json();
    assertThat(e.getJsonObject("queue").getString("saleStartsAt")).isEqualTo(opens.toString());
  }
}
