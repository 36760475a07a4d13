package dev.ticketrush.web;

import dev.ticketrush.outcome.Rejection;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates requests against the OpenAPI contract with vertx-json-schema, on the event loop, with one
 * validator per parameter and body compiled once at start.
 *
 * <p>Why not the router's built-in validation: vertx-openapi 5.0.7 validates every request in
 * {@code executeBlocking} and builds a fresh schema validator each time; profiling showed that as about a
 * third of the CPU of a hold. The rules are the same (the same contract, the same JSON-schema library).
 */
public final class ContractValidation implements Handler<RoutingContext> {
  private final List<ParameterCheck> parameters = new ArrayList<>();
  private final SchemaCheck body;
  private final boolean bodyRequired;

  /**
   * A schema compiled four times: its linear-time {@link SchemaBounds} (array lengths and uniqueness, checked
   * first; null when it has none), the quick {@link ProvablyValid} test (null when the schema is beyond it), a
   * "flag" validator that stops at the first failure and collects nothing, and a detailed one used only to
   * explain a rejection. The library decides every value the quick test does not prove valid, without the
   * keywords the bounds already checked (its own uniqueItems check compares every pair of items).
   */
  record SchemaCheck(SchemaBounds.Check bounds, ProvablyValid.Check quick, Validator fast, Validator detailed) {
    static SchemaCheck of(SchemaRepository repository, JsonSchema schema) {
      JsonSchemaOptions flag = new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri("app://")
          .setOutputFormat(OutputFormat.Flag);
      JsonObject json = asJson(schema);
      JsonSchema bounded = JsonSchema.of(SchemaBounds.forLibrary(json));
      return new SchemaCheck(SchemaBounds.compile(json), ProvablyValid.compile(json), repository.validator(bounded, flag),
          repository.validator(bounded));
    }

    /** Null when valid, else the first error. */
    String check(Object value) {
      String outOfBounds = bounds == null ? null : bounds.check(value, "");
      if (outOfBounds != null) {
        return outOfBounds.trim();
      }
      if (quick != null && quick.valid(value) || Boolean.TRUE.equals(fast.validate(value).getValid())) {
        return null;
      }
      return firstError(detailed.validate(value));
    }
  }

  /** The schema's keywords as JSON (the contract's schemas arrive with every $ref already inlined). */
  static JsonObject asJson(JsonSchema schema) {
    JsonObject json = new JsonObject();
    for (String field : schema.fieldNames()) {
      json.put(field, schema.get(field));
    }
    return json;
  }

  private record ParameterCheck(Parameter parameter, SchemaCheck schema, String type) {
  }

  public ContractValidation(OpenAPIContract contract, Operation operation) {
    SchemaRepository repository = contract.getSchemaRepository();
    for (Parameter p : operation.getParameters()) {
      String type = p.getSchema().get("type") == null ? "string" : p.getSchema().get("type").toString();
      parameters.add(new ParameterCheck(p, SchemaCheck.of(repository, p.getSchema()), type));
    }
    RequestBody rb = operation.getRequestBody();
    MediaType json = rb == null ? null : rb.getContent().get("application/json");
    this.body = json == null ? null : SchemaCheck.of(repository, json.getSchema());
    this.bodyRequired = rb != null && rb.isRequired();
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      for (ParameterCheck check : parameters) {
        validate(ctx, check);
      }
      if (body != null) {
        validateBody(ctx);
      }
    } catch (Rejection | RequestFault.Refused p) {
      ctx.fail(p);
      return;
    }
    ctx.next();
  }

  private void validate(RoutingContext ctx, ParameterCheck check) {
    Parameter p = check.parameter();
    String raw = switch (p.getIn()) {
      case PATH -> ctx.pathParam(p.getName());
      case QUERY -> ctx.queryParams().get(p.getName());
      case HEADER -> ctx.request().getHeader(p.getName());
      case COOKIE -> ctx.request().getCookie(p.getName()) == null ? null : ctx.request().getCookie(p.getName()).getValue();
    };
    if (raw == null) {
      if (p.isRequired()) {
        throw Rejection.invalid("missing required " + p.getIn().toString().toLowerCase() + " parameter " + p.getName());
      }
      return;
    }
    Object value = raw;
    try {
      switch (check.type()) {
        case "integer" -> value = dev.ticketrush.web.Json.plainDecimal(raw);
        case "number" -> value = Double.parseDouble(raw);
        case "boolean" -> {
          if (!raw.equals("true") && !raw.equals("false")) {
            throw new NumberFormatException();
          }
          value = Boolean.parseBoolean(raw);
        }
        default -> {
        }
      }
    } catch (NumberFormatException e) {
      throw Rejection.invalid("parameter " + p.getName() + " must be " + check.type() + ", got '" + raw + "'");
    }
    String error = check.schema().check(value);
    if (error != null) {
      throw Rejection.invalid("parameter " + p.getName() + ": " + error);
    }
  }

  private void validateBody(RoutingContext ctx) {
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      if (bodyRequired) {
        throw Rejection.invalid("a JSON request body is required");
      }
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType != null && !contentType.toLowerCase().startsWith("application/json")) {
      throw RequestFault.UNSUPPORTED_MEDIA_TYPE.refuse("send the body as Content-Type: application/json");
    }
    String notPlainJson = notPlainJson(raw);
    if (notPlainJson != null) {
      throw Rejection.invalid(notPlainJson);
    }
    Object value;
    try {
      // Objects and arrays go through RequestBody, which caches the parse for the handler that runs next.
      char first = firstNonBlank(raw);
      value = first == '{' ? ctx.body().asJsonObject() : first == '[' ? ctx.body().asJsonArray() : Json.decodeValue(raw);
    } catch (DecodeException e) {
      throw Rejection.invalid("the body is not valid JSON");
    }
    String error = body.check(value);
    if (error != null) {
      throw Rejection.invalid("body: " + error);
    }
  }

  /**
   * Null when the body is plain JSON text in UTF-8 as far as the parser cannot tell: Jackson skips a byte-order mark,
   * Vert.x turns on its comment support, and both would let two readers see two different bodies. One pass, linear.
   */
  static String notPlainJson(Buffer raw) {
    byte[] bytes = raw.getBytes();
    if (bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
      return "the body starts with a byte-order mark; send JSON without one";
    }
    boolean ascii = true;
    for (byte b : bytes) {
      ascii &= b >= 0;
    }
    if (!ascii) { // the hot bodies are ASCII: the decoder only for the others
      try {
        java.nio.charset.StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes));
      } catch (java.nio.charset.CharacterCodingException e) {
        return "the body is not UTF-8 (overlong or broken sequences are refused)";
      }
    }
    boolean inString = false;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '/') {
        return "the body has a comment; JSON has none";
      }
    }
    return null;
  }

  private static char firstNonBlank(Buffer raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = (char) raw.getByte(i);
      if (!Character.isWhitespace(c)) {
        return c;
      }
    }
    return ' ';
  }

  /** The most specific error: its location in the request (e.g. {@code /seats/0}) and the reason. */
  static String firstError(OutputUnit unit) {
    OutputUnit e = unit;
    while (e.getErrors() != null && !e.getErrors().isEmpty()) {
      e = e.getErrors().get(0);
    }
    String where = e.getInstanceLocation();
    String why = e.getError() != null ? e.getError() : unit.getError();
    return (where == null || where.isEmpty() || where.equals("#") ? "" : where.replaceFirst("^#", "") + " ") + why;
  }
}
