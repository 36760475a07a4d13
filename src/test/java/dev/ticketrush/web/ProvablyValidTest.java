package dev.ticketrush.web;

import dev.ticketrush.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProvablyValid} never accepts what vertx-json-schema rejects, for every parameter and body schema of
 * openapi.yaml, over random JSON near the contract's shapes; and the hot requests do take the quick path.
 */
class ProvablyValidTest {
  static Vertx vertx;
  /** Every request schema of the contract: its quick test (if any) and the library's validator. */
  static final List<Pair> SCHEMAS = new ArrayList<>();
  static OpenAPIContract contract;

  record Pair(String where, ProvablyValid.Check quick, Validator library, ContractValidation.SchemaCheck served) {
  }

  @BeforeContainer
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = Await.result(OpenAPIContract.from(vertx, "openapi.yaml"), Duration.ofSeconds(30));
    JsonSchemaOptions flag = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app://")
        .setOutputFormat(OutputFormat.Flag);
    for (Operation op : contract.operations()) {
      for (Parameter p : op.getParameters()) {
        add(op.getOperationId() + " " + p.getName(), p.getSchema(), flag);
      }
      if (op.getRequestBody() != null) {
        MediaType json = op.getRequestBody().getContent().get("application/json");
        if (json != null) {
          add(op.getOperationId() + " body", json.getSchema(), flag);
        }
      }
    }
  }

  static void add(String where, JsonSchema schema, JsonSchemaOptions flag) {
    // The reference: the library on the whole schema, its patterns anchored as JSON Schema means them.
    JsonSchema reference = JsonSchema.of(SchemaBounds.anchored(ContractValidation.asJson(schema)));
    SCHEMAS.add(new Pair(where, ProvablyValid.compile(ContractValidation.asJson(schema)),
        contract.getSchemaRepository().validator(reference, flag),
        ContractValidation.SchemaCheck.of(contract.getSchemaRepository(), schema)));
  }

  @AfterContainer
  static void stop() throws Exception {
    Await.result(vertx.close(), Duration.ofSeconds(10));
  }

  @Property(tries = 3000)
  void acceptsOnlyWhatTheLibraryAccepts(@ForAll("values") Object value) {
    boolean bodyAccepted = false;
    for (Pair p : SCHEMAS) {
      if (p.quick() != null && p.quick().valid(value)) {
        assertThat(p.library().validate(value).getValid()).as(p.where() + " accepted " + value).isTrue();
        bodyAccepted |= value instanceof JsonObject;
      }
    }
    // The property means something only if the quick test does accept some of the generated bodies.
    Statistics.collect(bodyAccepted);
    Statistics.coverage(c -> c.check(true).percentage(pct -> pct >= 10.0));
  }

  /**
   * The check the server runs (linear bounds first, then the library on the schema without uniqueItems) gives the
   * same verdict as the library on the whole schema.
   */
  @Property(tries = 3000)
  void theServedCheckAgreesWithTheLibrary(@ForAll("values") Object value) {
    for (Pair p : SCHEMAS) {
      boolean library = p.library().validate(value).getValid();
      assertThat(p.served().check(value) == null).as(p.where() + " on " + value).isEqualTo(library);
    }
  }

  @Example
  void lengthsAndDuplicatesAreRefusedBeforeTheLibrary() {
    ContractValidation.SchemaCheck hold = null;
    for (Pair p : SCHEMAS) {
      hold = p.where().equals("createHold body") ? p.served() : hold;
    }
    JsonArray tenThousand = new JsonArray();
    for (int i = 1; i <= 10_000; i++) {
      tenThousand.add(i);
    }
    assertThat(hold.check(new JsonObject().put("seats", tenThousand))).isEqualTo("/seats Array has too many items (10000 > 100)");
    assertThat(hold.check(new JsonObject().put("seats", new JsonArray().add(3).add(4).add(3))))
        .isEqualTo("/seats Duplicate items at indexes 0 and 2");
    assertThat(hold.check(new JsonObject().put("seats", new JsonArray().add(3)).put("x", 1))).contains("\"x\"");
    assertThat(hold.check(new JsonObject().put("seats", new JsonArray().add(3).add(4)))).isNull();
  }

  /** ECMA-262's final {@code $} is the end of the text: a trailing line break does not pass a pattern. */
  @Example
  void aPatternsEndIsTheEndOfTheText() {
    ContractValidation.SchemaCheck event = served("createEvent body");
    JsonObject body = new JsonObject().put("name", "n").put("sections", new JsonArray()
        .add(new JsonObject().put("name", "A").put("rows", 1).put("seatsPerRow", 2)));
    assertThat(event.check(body)).isNull();
    body.getJsonArray("sections").getJsonObject(0).put("name", "A\n");
    assertThat(event.check(body)).as("a section name ending in a line break").isNotNull();
  }

  static ContractValidation.SchemaCheck served(String where) {
    return SCHEMAS.stream().filter(p -> p.where().equals(where)).findFirst().orElseThrow().served();
  }

  @Example
  void theHotRequestsTakeTheQuickPath() {
    assertThat(quick("createHold body").valid(new JsonObject().put("seats", new JsonArray().add(1).add(100_000)))).isTrue();
    assertThat(quick("createBestHold body").valid(new JsonObject().put("count", 4).put("section", "A"))).isTrue();
    assertThat(quick("createOrder body").valid(new JsonObject().put("seats", new JsonArray().add(7))
        .put("paymentToken", "tok_visa"))).isTrue();
    assertThat(quick("createHold eventId").valid(42L)).isTrue();
    // Not proven: the library decides (and rejects) these.
    assertThat(quick("createHold body").valid(new JsonObject().put("seats", new JsonArray().add(7).add(7)))).isFalse();
    assertThat(quick("createHold body").valid(new JsonObject().put("seats", new JsonArray().add(0)))).isFalse();
    assertThat(quick("createHold body").valid(new JsonObject().put("seats", new JsonArray()).put("x", 1))).isFalse();
    assertThat(quick("createOrder body").valid(new JsonObject().put("seats", new JsonArray().add(7)))).isFalse();
  }

  static ProvablyValid.Check quick(String where) {
    for (Pair p : SCHEMAS) {
      if (p.where().equals(where)) {
        assertThat(p.quick()).as("a quick test for " + where).isNotNull();
        return p.quick();
      }
    }
    throw new AssertionError("no schema " + where);
  }

  @Provide
  Arbitrary<Object> values() {
    return Arbitraries.oneOf(value(2), nearlyValidBody());
  }

  /** The hot request bodies' own shapes with values at and beyond their bounds, now and then with a stray key. */
  static Arbitrary<Object> nearlyValidBody() {
    Arbitrary<Object> seatIds = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 100_001).map(i -> (Object) i).set().ofMaxSize(4).map(ArrayList::new),
        Arbitraries.integers().between(-1, 100_001).map(i -> (Object) i).list().ofMaxSize(101))
        .map(l -> (Object) new JsonArray(new ArrayList<>(l)));
    Arbitrary<Object> text = Arbitraries.strings().ofMaxLength(130).map(x -> (Object) x);
    Arbitrary<Object> count = Arbitraries.integers().between(-1, 102).map(i -> (Object) i);
    Arbitrary<Object> stray = Arbitraries.oneOf(Arbitraries.just(null), scalar()).map(x -> x == null ? null : (Object) x);
    Arbitrary<JsonObject> shape = Arbitraries.oneOf(
        seatIds.map(seats -> new JsonObject().put("seats", seats)),
        Combinators.combine(count, text.injectNull(0.5)).as((c, sec) -> {
          JsonObject o = new JsonObject().put("count", c);
          return sec == null ? o : o.put("section", sec);
        }),
        Combinators.combine(seatIds, text).as((seats, tok) -> new JsonObject().put("seats", seats).put("paymentToken", tok)));
    return Combinators.combine(shape, Arbitraries.of("x", "seats", "count").injectNull(0.8), stray)
        .as((o, key, v) -> key == null ? (Object) o : (Object) o.copy().put(key, v));
  }

  /** JSON values nested at most {@code depth} deep, near the contract's request shapes. */
  static Arbitrary<Object> value(int depth) {
    if (depth == 0) {
      return scalar();
    }
    return Arbitraries.oneOf(scalar(), array(depth - 1), object(depth - 1), object(depth - 1));
  }

  static Arbitrary<Object> scalar() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-3, 100_003).map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.of(0L, 1L, 9_007_199_254_740_991L, 9_007_199_254_740_992L, Long.MAX_VALUE).map(l -> (Object) l),
        Arbitraries.of(1.0, 1.5, -0.0, 100_000.0, 1e300).map(d -> (Object) d),
        Arbitraries.strings().ofMaxLength(140).map(s -> (Object) s),
        Arbitraries.strings().withChars("😀é\u0000 a").ofMaxLength(20).map(s -> (Object) s),
        Arbitraries.of("", "A", "tok_visa", "admin", "2026-12-01T00:00:00Z", "true").map(s -> (Object) s),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null));
  }

  static Arbitrary<Object> array(int depth) {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-1, 100_001).map(i -> (Object) i).list().ofMaxSize(110),
        value(depth).list().ofMaxSize(3))
        .map(list -> (Object) new JsonArray(new ArrayList<>(list)));
  }

  static Arbitrary<Object> object(int depth) {
    Arbitrary<String> keys = Arbitraries.of("seats", "paymentToken", "count", "section", "name", "sections", "rows",
        "seatsPerRow", "sub", "roles", "maxSeatsPerUser", "holdTtlMs", "queue", "enabled", "x");
    return Arbitraries.maps(keys, value(depth)).ofMaxSize(4)
        .map(m -> (Object) new JsonObject(new java.util.HashMap<>(m)));
  }
}
