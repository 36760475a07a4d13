package dev.ticketrush.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks that run before vertx-json-schema sees a value, each linear in the value's size: array lengths
 * ({@code maxItems}), string lengths ({@code maxLength}), members of closed objects ({@code additionalProperties:
 * false}) and {@code uniqueItems}, along a schema's {@code properties} and {@code items}.
 *
 * <p>Why: vertx-json-schema 5.0.7 checks {@code uniqueItems} by comparing every pair of items, and does so even
 * after {@code maxItems} failed; an anonymous 10,000-id hold body (59 KB, under the body limit) held an event
 * loop for 35 s. Here the length is checked first, uniqueness takes one hash set, and {@link #forLibrary}
 * hands the library the schema without the keywords checked here, so its quadratic loop never runs.
 */
final class SchemaBounds {
  interface Check {
    /** Null when within bounds, else the problem's detail (location and reason). */
    String check(Object value, String where);
  }

  private SchemaBounds() {
  }

  /** The checks of a dereferenced schema; null when it has nothing to check. */
  static Check compile(JsonObject schema) {
    List<Check> checks = new ArrayList<>();
    if (schema.getValue("maxItems") instanceof Number max) {
      long limit = max.longValue();
      checks.add((v, where) -> v instanceof JsonArray a && a.size() > limit
          ? where + " Array has too many items (" + a.size() + " > " + limit + ")" : null);
    }
    if (schema.getValue("maxLength") instanceof Number max) {
      // The library counts code points in interpreted code: ~12 ms for a 60 KB string; the JDK's count is fast.
      long limit = max.longValue();
      checks.add((v, where) -> v instanceof String s && s.length() > limit && s.codePointCount(0, s.length()) > limit
          ? where + " String is too long (" + s.codePointCount(0, s.length()) + " > " + limit + ")" : null);
    }
    if (Boolean.TRUE.equals(schema.getValue("uniqueItems"))) {
      checks.add((v, where) -> v instanceof JsonArray a ? duplicate(a, where) : null);
    }
    if (schema.getValue("items") instanceof JsonObject items) {
      Check item = compile(items);
      if (item != null) {
        checks.add((v, where) -> {
          if (v instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
              String error = item.check(a.getValue(i), where + "/" + i);
              if (error != null) {
                return error;
              }
            }
          }
          return null;
        });
      }
    }
    if (Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      // Before the library: it builds an error object per unknown member, tens of µs each (thousands fit in a body).
      Set<String> known = schema.getValue("properties") instanceof JsonObject p ? Set.copyOf(p.fieldNames()) : Set.of();
      checks.add((v, where) -> {
        if (v instanceof JsonObject o) {
          for (String name : o.fieldNames()) {
            if (!known.contains(name)) {
              return where + " Property \"" + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                  + "\" is not allowed";
            }
          }
        }
        return null;
      });
    }
    if (schema.getValue("properties") instanceof JsonObject properties) {
      Map<String, Check> byName = new HashMap<>();
      for (Map.Entry<String, Object> p : properties) {
        Check c = p.getValue() instanceof JsonObject sub ? compile(sub) : null;
        if (c != null) {
          byName.put(p.getKey(), c);
        }
      }
      if (!byName.isEmpty()) {
        checks.add((v, where) -> {
          if (v instanceof JsonObject o) {
            for (Map.Entry<String, Check> c : byName.entrySet()) {
              Object field = o.getValue(c.getKey());
              String error = field == null ? null : c.getValue().check(field, where + "/" + c.getKey());
              if (error != null) {
                return error;
              }
            }
          }
          return null;
        });
      }
    }
    if (checks.isEmpty()) {
      return null;
    }
    Check[] all = checks.toArray(new Check[0]);
    return (v, where) -> {
      for (Check c : all) { // the order above: length before uniqueness before the items
        String error = c.check(v, where);
        if (error != null) {
          return error;
        }
      }
      return null;
    };
  }

  /**
   * The copy of the schema the library validates with: without the {@code uniqueItems} that {@link #compile}
   * checks (same paths), and with each pattern anchored as JSON Schema means it. The contract's patterns are
   * ECMA-262, where a final {@code $} is the end of the text; the library runs them as Java regular expressions,
   * where {@code $} also matches before a final line break, so {@code "A\n"} passed {@code ^[A-Za-z0-9]+$}.
   * A final {@code $} becomes {@code \z} here; the published contract keeps its ECMA form.
   */
  static JsonObject forLibrary(JsonObject schema) {
    JsonObject copy = schema.copy();
    adapt(copy, true);
    return copy;
  }

  /** A copy with only the patterns anchored (uniqueItems kept): the whole schema as JSON Schema means it. */
  static JsonObject anchored(JsonObject schema) {
    JsonObject copy = schema.copy();
    adapt(copy, false);
    return copy;
  }

  private static void adapt(JsonObject schema, boolean withoutUniqueItems) {
    if (withoutUniqueItems) {
      schema.remove("uniqueItems");
    }
    if (schema.getValue("pattern") instanceof String pattern && pattern.endsWith("$") && !pattern.endsWith("\\$")) {
      schema.put("pattern", pattern.substring(0, pattern.length() - 1) + "\\z");
    }
    for (String nested : new String[] {"items", "additionalProperties", "not"}) {
      if (schema.getValue(nested) instanceof JsonObject sub) {
        adapt(sub, withoutUniqueItems);
      }
    }
    for (String each : new String[] {"properties", "patternProperties"}) {
      if (schema.getValue(each) instanceof JsonObject map) {
        for (Map.Entry<String, Object> p : map) {
          if (p.getValue() instanceof JsonObject sub) {
            adapt(sub, withoutUniqueItems);
          }
        }
      }
    }
    for (String list : new String[] {"anyOf", "oneOf", "allOf", "prefixItems"}) {
      if (schema.getValue(list) instanceof JsonArray subs) {
        for (Object sub : subs) {
          if (sub instanceof JsonObject o) {
            adapt(o, withoutUniqueItems);
          }
        }
      }
    }
  }

  private static String duplicate(JsonArray a, String where) {
    Map<Object, Integer> seen = new HashMap<>();
    for (int i = 0; i < a.size(); i++) {
      Integer first = seen.putIfAbsent(canonical(a.getValue(i)), i);
      if (first != null) {
        return where + " Duplicate items at indexes " + first + " and " + i;
      }
    }
    return null;
  }

  /** A key equal for JSON-equal values: numbers by value (1 = 1.0), objects by members, arrays by items. */
  private static Object canonical(Object v) {
    if (v instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).stripTrailingZeros();
      } catch (NumberFormatException notFinite) {
        return n.toString();
      }
    }
    if (v instanceof JsonArray a) {
      List<Object> items = new ArrayList<>(a.size());
      a.forEach(x -> items.add(canonical(x)));
      return items;
    }
    if (v instanceof JsonObject o) {
      Map<String, Object> members = new HashMap<>();
      o.forEach(e -> members.put(e.getKey(), canonical(e.getValue())));
      return members;
    }
    return v == null ? NULL : v;
  }

  private static final Object NULL = new Object();
}
