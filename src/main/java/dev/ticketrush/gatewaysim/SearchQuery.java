package dev.ticketrush.gatewaysim;

import io.vertx.core.json.JsonObject;

import java.util.function.Predicate;

/**
 * The one clause of Stripe's search query language the simulator understands: {@code metadata['key']:'value'}
 * (either quote, backslash escapes a quote inside). Anything else is refused rather than half-understood.
 */
record SearchQuery(String metadataKey, String value) {

  static SearchQuery parse(String query) {
    if (query == null || query.isEmpty()) {
      throw StripeError.missing("query");
    }
    Cursor c = new Cursor(query);
    c.expect("metadata[");
    String key = c.quoted();
    c.expect("]:");
    String value = c.quoted();
    if (!c.atEnd()) {
      throw unsupported(query);
    }
    return new SearchQuery(key, value);
  }

  Predicate<JsonObject> matcher() {
    return object -> {
      JsonObject metadata = object.getJsonObject("metadata");
      return metadata != null && value.equals(metadata.getString(metadataKey));
    };
  }

  private static StripeError unsupported(String query) {
    return StripeError.invalid("query", "gateway-sim supports only queries of the form metadata['key']:'value', not: " + query);
  }

  private static final class Cursor {
    private final String text;
    private int at;

    Cursor(String text) {
      this.text = text;
    }

    void expect(String literal) {
      if (!text.startsWith(literal, at)) {
        throw unsupported(text);
      }
      at += literal.length();
    }

    String quoted() {
      if (at >= text.length() || (text.charAt(at) != '\'' && text.charAt(at) != '"')) {
        throw unsupported(text);
      }
      char quote = text.charAt(at++);
      StringBuilder out = new StringBuilder();
      while (at < text.length()) {
        char ch = text.charAt(at++);
        if (ch == '\\' && at < text.length()) {
          out.append(text.charAt(at++));
        } else if (ch == quote) {
          return out.toString();
        } else {
          out.append(ch);
        }
      }
      throw unsupported(text);
    }

    boolean atEnd() {
      return at == text.length();
    }
  }
}
