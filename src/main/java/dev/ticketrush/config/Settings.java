package dev.ticketrush.config;

import io.vertx.core.json.JsonObject;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Builds a concern record from the merged settings, one {@link Setting}-declared component at a time. Values
 * come as JSON types (the file) or strings (the environment); types are int, long, boolean and String. A blank
 * text counts as unset; a value of the wrong type is a {@link ConfigException} naming the variable.
 */
final class Settings {
  private Settings() {
  }

  /** {@code mode} may be null only for records with no mode-dependent default (it is not known yet). */
  static <R extends Record> R read(Class<R> concern, JsonObject json, Mode mode) {
    RecordComponent[] components = concern.getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = value(declaration(components[i]), components[i].getType(), json, mode);
    }
    try {
      Constructor<R> canonical = concern.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      return canonical.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + concern.getSimpleName(), e);
    }
  }

  /**
   * A copy of {@code record} with the setting declared for {@code key} replaced: a wither that needs no update
   * when a setting is added to the record.
   */
  static <R extends Record> R with(R record, String key, Object value) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    boolean found = false;
    try {
      for (int i = 0; i < components.length; i++) {
        boolean replaced = declaration(components[i]).key().equals(key);
        found |= replaced;
        values[i] = replaced ? value : components[i].getAccessor().invoke(record);
      }
      if (!found) {
        throw new IllegalArgumentException(record.getClass().getSimpleName() + " declares no " + key);
      }
      @SuppressWarnings("unchecked")
      Constructor<R> canonical = (Constructor<R>) record.getClass().getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
    }
  }

  static Setting declaration(RecordComponent component) {
    Setting setting = component.getAnnotation(Setting.class);
    if (setting == null) {
      throw new IllegalStateException(component.getDeclaringRecord().getSimpleName() + "." + component.getName()
          + " has no @Setting");
    }
    return setting;
  }

  /** The default as written in the declaration for this mode, or {@link Setting#UNSET}. */
  static String defaultText(Setting setting, Mode mode) {
    String specific = mode == null ? Setting.AS_VALUE : mode == Mode.DEV ? setting.dev() : setting.production();
    if (mode == null && (!setting.dev().equals(Setting.AS_VALUE) || !setting.production().equals(Setting.AS_VALUE))) {
      throw new IllegalStateException(setting.key() + " has a mode-dependent default: read it after the mode");
    }
    return specific.equals(Setting.AS_VALUE) ? setting.value() : specific;
  }

  static String variable(String key) {
    return AppConfig.ENV_PREFIX + key.replaceAll("([A-Z])", "_$1").toUpperCase();
  }

  private static Object value(Setting setting, Class<?> type, JsonObject json, Mode mode) {
    Object given = json.getValue(setting.key());
    if (given instanceof String s && s.isBlank() && type == String.class) {
      given = null;
    }
    if (given == null) {
      String fallback = defaultText(setting, mode);
      if (fallback.equals(Setting.UNSET)) {
        if (type.isPrimitive()) {
          throw new IllegalStateException(setting.key() + " is a " + type + " without a default");
        }
        return null;
      }
      given = fallback;
    }
    return parse(setting.key(), type, given);
  }

  private static Object parse(String key, Class<?> type, Object v) {
    if (type == String.class) {
      return v.toString();
    }
    if (type == boolean.class) {
      return bool(key, v);
    }
    if (type == long.class) {
      return number(key, v);
    }
    if (type == int.class) {
      long n = number(key, v);
      if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw new ConfigException(variable(key) + " (" + key + ") is out of range, got '" + v + "'");
      }
      return (int) n;
    }
    throw new IllegalStateException(key + ": settings of type " + type + " are not supported");
  }

  private static long number(String key, Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(variable(key) + " (" + key + ") must be a number, got '" + v + "'");
    }
  }

  private static boolean bool(String key, Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase();
    if (s.equals("true") || s.equals("1") || s.equals("yes")) {
      return true;
    }
    if (s.equals("false") || s.equals("0") || s.equals("no")) {
      return false;
    }
    throw new ConfigException(variable(key) + " (" + key + ") must be true or false, got '" + v + "'");
  }
}
