package dev.ticketrush.support;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * Behind {@link TicketRushNode}: starts the node on first use and keeps it in the JUnit store of the scope that
 * asked for it (the class, or one test method), which closes it when that scope ends. Fills parameters and the
 * test instance's {@link TestNode} and {@link Api} fields. {@link TestNode} stays the engine, so tests that start
 * nodes by hand keep working.
 */
public final class NodeExtension implements ParameterResolver, TestInstancePostProcessor {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NodeExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestNode.class || type == Api.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return resolve(scopeOf(parameter, context), parameter.getParameter().getType(),
        parameter.isAnnotated(TicketRushNode.Second.class));
  }

  /** Fields of the test class typed TestNode or Api get the class's node (or its second, when so marked). */
  @Override
  public void postProcessTestInstance(Object instance, ExtensionContext context) throws IllegalAccessException {
    if (!AnnotationSupport.isAnnotated(instance.getClass(), TicketRushNode.class)) {
      return; // no class-wide node: annotated test methods get theirs as parameters
    }
    ExtensionContext scope = classScope(context);
    for (Class<?> c = instance.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if ((f.getType() == TestNode.class || f.getType() == Api.class) && !Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          f.set(instance, resolve(scope, f.getType(), f.isAnnotationPresent(TicketRushNode.Second.class)));
        }
      }
    }
  }

  private static Object resolve(ExtensionContext scope, Class<?> type, boolean second) {
    TicketRushNode settings = AnnotationSupport.findAnnotation(scope.getElement(), TicketRushNode.class)
        .orElseThrow(() -> new ParameterResolutionException("no @TicketRushNode on " + scope.getDisplayName()));
    // Keyed by scope too: a store also answers with its parents' values, and a method's node is not its class's.
    String which = scope.getUniqueId() + (second ? " second " : " first ");
    ExtensionContext.Store store = scope.getStore(NAMESPACE);
    TestNode node = store.getOrComputeIfAbsent(which + "node", k -> TestNode.start(overrides(settings)), TestNode.class);
    if (type == TestNode.class) {
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
    return classScope(context);
  }

  private static ExtensionContext classScope(ExtensionContext context) {
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
