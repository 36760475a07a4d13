package dev.ticketrush.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one setting on a component of a concern record in {@link AppConfig}: its key, its default and its
 * meaning. {@link Settings} parses the record from it and {@link ConfigTable} writes the documentation from it,
 * so a default is written here and nowhere else. The key is the JSON key in {@code conf/application.json}; the
 * environment variable is {@code TICKETRUSH_} plus the key in upper snake case ({@code holdTtlMs} ⇔
 * {@code TICKETRUSH_HOLD_TTL_MS}). Defaults are written as they would be in the environment.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {
  /** No default: the component is null unless set (only for text settings). */
  String UNSET = "\u0000unset";
  /** {@link #dev()} or {@link #production()} not given: {@link #value()} applies in that mode too. */
  String AS_VALUE = "\u0000value";

  /** The camelCase key. */
  String key();

  /** One line for the documentation table: what the setting is for. */
  String meaning();

  /** The default in both modes. */
  String value() default UNSET;

  /** The default in dev mode, when it differs from {@link #value()}. */
  String dev() default AS_VALUE;

  /** The default in production mode, when it differs from {@link #value()}. */
  String production() default AS_VALUE;

  /** Added to the default in the documentation: what unset means, or where another default applies. */
  String note() default "";
}
