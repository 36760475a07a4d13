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
    int n = camelCase.length();
    for (int i = 0; i < n; i++) {
      char c = camelCase.charAt(i);
      char prev = i > 0 ? camelCase.charAt(i - 1) : ' ';
      boolean nextLower = i + 1 < n && Character.isLowerCase(camelCase.charAt(i + 1));
      boolean nextUpper = i + 1 < n && Character.isUpperCase(camelCase.charAt(i + 1));
      boolean upper = Character.isUpperCase(c);
      // A word starts at a capital after a small letter or digit, at the last capital of an acronym, at a number.
      boolean starts = i > 0 && (upper && (!Character.isUpperCase(prev) || nextLower)
          || Character.isDigit(c) && !Character.isDigit(prev));
      if (starts) {
        sb.append(' ');
      }
      boolean acronym = upper && !nextLower && (Character.isUpperCase(prev) || nextUpper);
      sb.append(acronym ? c : Character.toLowerCase(c));
    }
    return sb.toString();
  }

}
