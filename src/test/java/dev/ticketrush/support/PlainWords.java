package dev.ticketrush.support;

import org.junit.jupiter.api.DisplayNameGenerator;

import java.lang.reflect.Method;
import java.util.List;

/**
 * Test names in plain words: {@code expiredHoldIsNeverHonouredEvenBeforeTheSweep} reads "expired hold is never
 * honoured even before the sweep". The default for every test (src/test/resources/junit-platform.properties); an
 * explicit {@code @DisplayName} still wins.
 */
public final class PlainWords extends DisplayNameGenerator.Standard {
  @Override
  public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
    return words(testMethod.getName());
  }

  static String words(String camelCase) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < camelCase.length(); i++) {
      char c = camelCase.charAt(i);
      boolean boundary = i > 0 && (Character.isUpperCase(c) && !Character.isUpperCase(camelCase.charAt(i - 1))
          || Character.isDigit(c) && !Character.isDigit(camelCase.charAt(i - 1)));
      if (boundary) {
        sb.append(' ');
      }
      boolean acronym = Character.isUpperCase(c) && (i + 1 < camelCase.length() && Character.isUpperCase(camelCase.charAt(i + 1))
          || i > 0 && Character.isUpperCase(camelCase.charAt(i - 1)));
      sb.append(acronym ? c : Character.toLowerCase(c));
    }
    return sb.toString();
  }
}
