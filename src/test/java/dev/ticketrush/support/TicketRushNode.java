package dev.ticketrush.support;

import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A started Ticket Rush node for the test: fields and parameters of type {@link TestNode} or {@link Api} receive
 * it. On the class: one node for all its tests (fields, constructor and lifecycle parameters), stopped after the
 * last. On a test method: a node of its own for that method's parameters, stopped when it ends. The test lands in the slow lane
 * ({@code mvn verify}) by itself. A parameter marked {@link Second} gets a second node of the same scope, for what
 * crosses between nodes.
 *
 * <pre>{@code
 * @TicketRushNode({"rateLimitUser=3", "metricsToken=scrape-token"})
 * class SomeApiTest {
 *   Api api; // set by the extension
 *
 *   @Test
 *   @TicketRushNode("devTokens=false")
 *   void another(Api own) { ... } // a node of its own
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(Integration.TAG)
@ExtendWith({VertxExtension.class, NodeExtension.class})
public @interface TicketRushNode {
  /**
   * Settings over {@link TestNode}'s test defaults, each {@code key=value}; the value is read as JSON when it is
   * JSON ({@code 5}, {@code true}, {@code "text"}), else as the text itself.
   */
  String[] value() default {};

  /** On a {@link TestNode} or {@link Api} field or parameter: a second node, same settings and Redis/PostgreSQL. */
  @Target({ElementType.FIELD, ElementType.PARAMETER})
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface Second {
  }
}
