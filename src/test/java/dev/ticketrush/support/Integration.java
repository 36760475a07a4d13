package dev.ticketrush.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The slow lane: a test that starts nodes, child JVMs, Redis clusters or a browser. {@code mvn test} leaves it
 * out (Surefire excludes the tag); {@code mvn verify} runs it (Failsafe). {@link TicketRushNode} carries it.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(Integration.TAG)
public @interface Integration {
  String TAG = "integration";
}
