package dev.ticketrush.web;

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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Hand-run measurement, not a test: the request validator's worst case for every parameter and body schema of
 * openapi.yaml. For each schema it builds hostile values that fit the server's limits (a body of at most 64 KiB, a
 * request line of at most 4 KiB): arrays as long as the body allows (distinct, or with the duplicate last), arrays
 * at maxItems with a duplicate or a bad item last, objects with thousands of unknown members, long strings, deep
 * nesting; times one validation of each many times and prints the slowest value's p99 and max per schema.
 *
 * <p>{@code after} (default) measures {@code ContractValidation}'s check as the server runs it; {@code before}
 * measures the check as it was before issue 26 (the quick test, then vertx-json-schema on the full schema,
 * uniqueItems included). Each value gets at most {@code budgetSeconds} (default 20) of samples; a third argument
 * keeps only the schemas whose name contains it.
 * Run: {@code scripts/bench/validator-worst-case.sh [after|before] [budgetSeconds] [schema]}.
 */
public final class ValidatorWorstCase {
  static final int BODY_LIMIT = 65_536;
  static final int LINE_LIMIT = 4_000;

  private ValidatorWorstCase() {
  }

  public static void main(String[] args) throws Exception {
    boolean before = args.length > 0 && args[0].equals("before");
    long budgetNs = TimeUnit.SECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 20);
    String only = args.length > 2 ? args[2] : "";
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = OpenAPIContract.from(vertx, "openapi.yaml").toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      System.out.printf("%-36s %-44s %10s %10s %10s %8s%n", "schema (" + (before ? "before" : "after") + ")",
          "slowest value (by p99)", "p50 µs", "p99 µs", "max µs", "samples");
      for (Operation op : contract.operations()) {
        for (Parameter p : op.getParameters()) {
          if (!(op.getOperationId() + " " + p.getName()).contains(only)) {
            continue;
          }
          report(op.getOperationId() + " " + p.getName(), check(contract, p.getSchema(), before),
              parameterValues(ContractValidation.asJson(p.getSchema())), budgetNs);
        }
        MediaType json = op.getRequestBody() == null ? null : op.getRequestBody().getContent().get("application/json");
        if (json != null && (op.getOperationId() + " body").contains(only)) {
          report(op.getOperationId() + " body", check(contract, json.getSchema(), before),
              bodyValues(ContractValidation.asJson(json.getSchema())), budgetNs);
        }
      }
    } finally {
      vertx.close();
    }
  }

  static Function<Object, String> check(OpenAPIContract contract, JsonSchema schema, boolean before) {
    if (!before) {
      ContractValidation.SchemaCheck c = ContractValidation.SchemaCheck.of(contract.getSchemaRepository(), schema);
      return c::check;
    }
    JsonSchemaOptions flag = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app://")
        .setOutputFormat(OutputFormat.Flag);
    ProvablyValid.Check quick = ProvablyValid.compile(ContractValidation.asJson(schema));
    Validator fast = contract.getSchemaRepository().validator(schema, flag);
    Validator detailed = contract.getSchemaRepository().validator(schema);
    return value -> quick != null && quick.valid(value) || Boolean.TRUE.equals(fast.validate(value).getValid())
        ? null : ContractValidation.firstError(detailed.validate(value));
  }

  static void report(String where, Function<Object, String> check, Map<String, Object> values, long budgetNs) {
    String slowest = null;
    long[] worst = null;
    for (Map.Entry<String, Object> v : values.entrySet()) {
      long[] samples = sample(check, v.getValue(), budgetNs);
      if (Boolean.getBoolean("every")) { // -Devery=true: every value, not only the slowest
        System.out.printf("  %-70s %10.1f%n", v.getKey(), percentile(samples, 99) / 1e3);
      }
      if (worst == null || percentile(samples, 99) > percentile(worst, 99)) {
        worst = samples;
        slowest = v.getKey();
      }
    }
    System.out.printf("%-36s %-44s %10.1f %10.1f %10.1f %8d%n", where, slowest, percentile(worst, 50) / 1e3,
        percentile(worst, 99) / 1e3, worst[worst.length - 1] / 1e3, worst.length);
  }

  /** Up to 2,000 timed validations after a warm-up, within the budget; sorted nanoseconds. */
  static long[] sample(Function<Object, String> check, Object value, long budgetNs) {
    long start = System.nanoTime();
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 2_200 && (times.isEmpty() || System.nanoTime() - start < budgetNs); i++) {
      long t0 = System.nanoTime();
      check.apply(value);
      long took = System.nanoTime() - t0;
      if (i >= 200 || System.nanoTime() - start > budgetNs / 2) { // the first 200 warm the JIT when there is time
        times.add(took);
      }
    }
    long[] sorted = times.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted;
  }

  static long percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
  }

  // ---- hostile values -----------------------------------------------------------------------------------------

  static Map<String, Object> parameterValues(JsonObject schema) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("long string", "9".repeat(LINE_LIMIT));
    values.put("max long", Long.MAX_VALUE);
    values.put("min long", Long.MIN_VALUE);
    values.put("zero", 0L);
    values.put("empty", "");
    return values;
  }

  static Map<String, Object> bodyValues(JsonObject schema) {
    Map<String, Object> values = new LinkedHashMap<>();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (String name : properties.fieldNames()) {
      JsonObject p = properties.getJsonObject(name);
      String type = String.valueOf(p.getValue("type"));
      switch (type) {
        case "array" -> {
          int fit = fittingInts(name);
          values.put(name + ": " + fit + " distinct ids", with(schema, name, ints(fit, false)));
          values.put(name + ": " + fit + " ids, duplicate last", with(schema, name, ints(fit, true)));
          int max = p.getInteger("maxItems", fit);
          values.put(name + ": maxItems, duplicate last", with(schema, name, ints(max, true)));
          JsonArray badLast = ints(max, false);
          badLast.set(max - 1, -1);
          values.put(name + ": maxItems, bad item last", with(schema, name, badLast));
          JsonArray objects = new JsonArray();
          for (int i = 0; objects.encode().length() < BODY_LIMIT - 200; i++) {
            objects.add(new JsonObject().put("a", i));
          }
          values.put(name + ": array of objects", with(schema, name, objects));
        }
        case "object" -> values.put(name + ": many members", with(schema, name, manyMembers()));
        default -> values.put(name + ": 60 KB string", with(schema, name, "x".repeat(BODY_LIMIT - 1_000)));
      }
      values.put(name + ": deep nesting", with(schema, name, nested(900)));
    }
    values.put("many unknown members", manyMembers());
    values.put("deep nesting", nested(900));
    return values;
  }

  /** How many distinct ids fit in the body limit as {@code {"name":[1,2,...]}}. */
  static int fittingInts(String name) {
    int n = 0;
    int length = name.length() + 8;
    while (length + String.valueOf(n + 1).length() + 1 < BODY_LIMIT) {
      n++;
      length += String.valueOf(n).length() + 1;
    }
    return n;
  }

  static JsonArray ints(int n, boolean duplicateLast) {
    JsonArray a = new JsonArray();
    for (int i = 1; i <= n; i++) {
      a.add(duplicateLast && i == n ? 1 : i);
    }
    return a;
  }

  static JsonObject manyMembers() {
    JsonObject o = new JsonObject();
    for (int i = 0; o.encode().length() < BODY_LIMIT - 100; i++) {
      o.put("m" + i, i);
    }
    return o;
  }

  static Object nested(int depth) {
    Object v = 1;
    for (int i = 0; i < depth; i++) {
      v = new JsonArray().add(v);
    }
    return v;
  }

  /** A body that is valid except for {@code value} in {@code field}: the other required fields are filled in. */
  static JsonObject with(JsonObject schema, String field, Object value) {
    JsonObject body = new JsonObject();
    JsonArray required = schema.getJsonArray("required", new JsonArray());
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (Object r : required) {
      JsonObject p = properties.getJsonObject((String) r);
      body.put((String) r, switch (String.valueOf(p.getValue("type"))) {
        case "array" -> new JsonArray().add(1);
        case "integer" -> p.getInteger("minimum", 1);
        case "object" -> new JsonObject();
        default -> "a";
      });
    }
    return body.put(field, value);
  }
}
