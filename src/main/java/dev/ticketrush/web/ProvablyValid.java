package dev.ticketrush.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A quick "certainly valid" test for the small schemas of the contract's requests, in front of vertx-json-schema.
 *
 * <p>Why: vertx-json-schema 5.0.7 spends about 8 µs on a two-field hold body. Its validate method is larger than
 * the JIT's huge-method limit (8,000 bytecodes), so it always runs interpreted; profiles of holds showed it as a
 * fifth of the service's CPU. This test covers the keywords the request schemas use (type, properties,
 * required, additionalProperties false, items, min/maxItems, uniqueItems, minimum/maximum on integers,
 * min/maxLength, enum of strings or integers) and answers only {@code true} (valid) or {@code false} (not
 * proven: ask the library). The library stays the judge of every rejection and writes its message, so this
 * can make a request neither pass nor fail that the library would not; {@code ProvablyValidTest} checks that
 * every value it accepts, the library accepts too. A schema with any other keyword gets no quick test.
 */
final class ProvablyValid {
  /** Keywords that never change validity. */
  private static final Set<String> ANNOTATIONS = Set.of("description", "title", "example", "examples", "default",
      "deprecated", "readOnly", "writeOnly", "$comment", "__absolute_uri__");

  interface Check {
    boolean valid(Object value);
  }

  private ProvablyValid() {
  }

  /** The quick test of a dereferenced schema, or null when it uses a keyword this does not cover. */
  static Check compile(JsonObject schema) {
    List<Check> checks = new ArrayList<>();
    for (Map.Entry<String, Object> e : schema) {
      String k = e.getKey();
      Object v = e.getValue();
      Check c = switch (k) {
        case "type" -> type(v);
        case "properties", "required", "additionalProperties" -> ALWAYS; // one object check for the three, below
        case "items" -> v instanceof JsonObject items ? items(compile(items)) : null;
        case "minItems" -> isInt(v) ? a -> !(a instanceof JsonArray arr) || arr.size() >= toLong(v) : null;
        case "maxItems" -> isInt(v) ? a -> !(a instanceof JsonArray arr) || arr.size() <= toLong(v) : null;
        case "uniqueItems" -> Boolean.TRUE.equals(v) ? ProvablyValid::unique : Boolean.FALSE.equals(v) ? ALWAYS : null;
        case "minimum" -> isInt(v) ? n -> !(n instanceof Number) || isInt(n) && toLong(n) >= toLong(v) : null;
        case "maximum" -> isInt(v) ? n -> !(n instanceof Number) || isInt(n) && toLong(n) <= toLong(v) : null;
        case "minLength" -> isInt(v) ? s -> !(s instanceof String str) || codePoints(str) >= toLong(v) : null;
        case "maxLength" -> isInt(v) ? s -> !(s instanceof String str) || codePoints(str) <= toLong(v) : null;
        case "enum" -> v instanceof JsonArray values ? oneOf(values) : null;
        default -> ANNOTATIONS.contains(k) ? ALWAYS : null;
      };
      if (c == null) {
        return null;
      }
      if (c != ALWAYS) {
        checks.add(c);
      }
    }
    if (schema.containsKey("properties") || schema.containsKey("required") || schema.containsKey("additionalProperties")) {
      Check o = object(schema);
      if (o == null) {
        return null;
      }
      checks.add(o);
    }
    Check[] all = checks.toArray(new Check[0]);
    return value -> {
      for (Check c : all) {
        if (!c.valid(value)) {
          return false;
        }
      }
      return true;
    };
  }

  private static final Check ALWAYS = v -> true;

  private static Check type(Object v) {
    List<String> names = new ArrayList<>();
    if (v instanceof String s) {
      names.add(s);
    } else if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof String s)) {
          return null;
        }
        names.add(s);
      }
    } else {
      return null;
    }
    List<Check> any = new ArrayList<>();
    for (String name : names) {
      Check c = switch (name) {
        case "object" -> o -> o instanceof JsonObject;
        case "array" -> o -> o instanceof JsonArray;
        case "string" -> o -> o instanceof String;
        case "boolean" -> o -> o instanceof Boolean;
        case "null" -> o -> o == null;
        // Only whole numbers parsed as integers are proven; 1.0 and big numbers go to the library.
        case "integer", "number" -> ProvablyValid::isInt;
        default -> null;
      };
      if (c == null) {
        return null;
      }
      any.add(c);
    }
    return o -> {
      for (Check c : any) {
        if (c.valid(o)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Check object(JsonObject schema) {
    Object props = schema.getValue("properties");
    Object required = schema.getValue("required");
    Object additional = schema.getValue("additionalProperties");
    if (props != null && !(props instanceof JsonObject)
        || required != null && !(required instanceof JsonArray)
        || additional != null && !(additional instanceof Boolean)) {
      return null;
    }
    JsonObject properties = props == null ? new JsonObject() : (JsonObject) props;
    HashMap<String, Check> byName = new HashMap<>();
    for (Map.Entry<String, Object> p : properties) {
      if (!(p.getValue() instanceof JsonObject sub)) {
        return null;
      }
      Check c = compile(sub);
      if (c == null) {
        return null;
      }
      byName.put(p.getKey(), c);
    }
    List<String> needed = new ArrayList<>();
    if (required != null) {
      for (Object r : (JsonArray) required) {
        if (!(r instanceof String s)) {
          return null;
        }
        needed.add(s);
      }
    }
    boolean closed = Boolean.FALSE.equals(additional);
    return o -> {
      if (!(o instanceof JsonObject obj)) {
        return true;
      }
      for (String r : needed) {
        if (!obj.containsKey(r)) {
          return false;
        }
      }
      for (Map.Entry<String, Object> field : obj) {
        Check c = byName.get(field.getKey());
        if (c == null ? closed : !c.valid(field.getValue())) {
          return false;
        }
      }
      return true;
    };
  }

  private static Check items(Check item) {
    if (item == null) {
      return null;
    }
    return a -> {
      if (!(a instanceof JsonArray arr)) {
        return true;
      }
      for (int i = 0; i < arr.size(); i++) {
        if (!item.valid(arr.getValue(i))) {
          return false;
        }
      }
      return true;
    };
  }

  /** Proven only for arrays of whole numbers or of strings, where equality is plain. */
  private static boolean unique(Object a) {
    if (!(a instanceof JsonArray arr)) {
      return true;
    }
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      Object v = arr.getValue(i);
      Object key = isInt(v) ? (Object) toLong(v) : v instanceof String ? v : null;
      if (key == null || !seen.add(key)) {
        return false;
      }
    }
    return true;
  }

  private static Check oneOf(JsonArray values) {
    Set<Object> allowed = new HashSet<>();
    for (Object v : values) {
      if (isInt(v)) {
        allowed.add(toLong(v));
      } else if (v instanceof String) {
        allowed.add(v);
      } else {
        return null;
      }
    }
    return v -> isInt(v) ? allowed.contains(toLong(v)) : v instanceof String && allowed.contains(v);
  }

  private static boolean isInt(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
  }

  private static long toLong(Object v) {
    return ((Number) v).longValue();
  }

  private static long codePoints(String s) {
    return s.codePointCount(0, s.length());
  }
}
