package dev.ticketrush.support;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

/**
 * Behind {@link TicketRushNode}: starts the node on first use and keeps it in the JUnit store of the scope that
 * asked for it (the class, or one test method), which closes it when that scope ends. {@link TestNode} stays the
 * engine, so tests that start nodes by hand keep working.
 */
public final class NodeExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NodeExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestNode.class || type == Api.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext scope = scopeOf(parameter, context);
    TicketRushNode settings = AnnotationSupport.findAnnotation(scope.getElement(), TicketRushNode.class)
        .orElseThrow(() -> new ParameterResolutionException("no @TicketRushNode on " + scope.getDisplayName()));
    String which = parameter.isAnnotated(TicketRushNode.Second.class) ? "second " : "first ";
    ExtensionContext.Store store = scope.getStore(NAMESPACE);
    TestNode node = store.getOrComputeIfAbsent(which + "node", k -> TestNode.start(overrides(settings)), TestNode.class);
    if (parameter.getParameter().getType() == TestNode.class) {
      return node;
    }
    return store.getOrComputeIfAbsent(which + "api", k -> new Api(node), Api.class);
  }

  /** The test method's own node when that method is annotated and asks; else the node of the annotated class. */
  private static ExtensionContext scopeOf(ParameterContext parameter, ExtensionContext context) {
    Optional<? extends AnnotatedElement> method = context.getTestMethod();
    if (method.isPresent() && parameter.getDeclaringExecutable().equals(method.get())
        && AnnotationSupport.isAnnotated(method.get(), TicketRushNode.class)) {
      return context;
    }
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() || !c.getTestClass().map(k -> AnnotationSupport.isAnnotated(k, TicketRushNode.class)).orElse(false)) {
      c = c.getParent().orElseThrow(() -> new ParameterResolutionException(
          "a TestNode or Api parameter needs @TicketRushNode on the test class or method"));
    }
    return c;
  }

  static JsonObject overrides(TicketRushNode settings) {
    JsonObject json = new JsonObject();
    for (String entry : settings.value()) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new ParameterResolutionException("@TicketRushNode setting is not key=value: " + entry);
      }
      String value = entry.substring(eq + 1).trim();
      Object parsed;
      try {
        parsed = Json.decodeValue(value);
      } catch (DecodeException e) {
        parsed = value;
      }
      json.put(entry.substring(0, eq).trim(), parsed);
    }
    return json;
  }
}
