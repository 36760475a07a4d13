package dev.ticketrush.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every script names what it includes: a helper defined in an included file (a {@code local function} of
 * clock.lua, seat-common.lua, queue-common.lua) is called only by scripts whose {@code -- include:} line leads to
 * that file, so each name a script uses has a visible source, and every script loads.
 */
class LuaIncludesTest {
  private static final Path DIR = Path.of("src/main/resources/lua");
  private static final Pattern FUNCTION = Pattern.compile("(?m)^local function (\\w+)\\(");

  @Test
  void everyHelperAScriptCallsComesFromAFileItIncludes() throws IOException {
    Map<String, String> scripts = new TreeMap<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".lua")).toList()) {
        scripts.put(p.getFileName().toString().replace(".lua", ""), Files.readString(p));
      }
    }
    Set<String> includedFiles = new HashSet<>();
    scripts.values().forEach(source -> includedFiles.addAll(LuaScript.includes(source)));
    Map<String, String> definedIn = new TreeMap<>();
    for (String file : includedFiles) {
      assertThat(scripts).as("included file " + file + ".lua").containsKey(file);
      Matcher m = FUNCTION.matcher(scripts.get(file));
      while (m.find()) {
        definedIn.put(m.group(1), file);
      }
    }
    assertThat(definedIn).containsKeys("now_ms", "take_seat", "touch");
    for (Map.Entry<String, String> s : scripts.entrySet()) {
      Set<String> reachable = reachable(s.getKey(), scripts, new HashSet<>());
      for (Map.Entry<String, String> helper : definedIn.entrySet()) {
        if (!helper.getValue().equals(s.getKey()) && calls(s.getValue(), helper.getKey())) {
          assertThat(reachable).as(s.getKey() + ".lua calls " + helper.getKey() + "() of " + helper.getValue() + ".lua")
              .contains(helper.getValue());
        }
      }
      assertThat(LuaScript.load(s.getKey()).name()).isEqualTo(s.getKey());
    }
  }

  private static boolean calls(String source, String function) {
    return Pattern.compile("(?<![\\w.])" + function + "\\(").matcher(source.replaceAll("(?m)--.*$", "")).find();
  }

  private static Set<String> reachable(String name, Map<String, String> scripts, Set<String> seen) {
    List<String> included = LuaScript.includes(scripts.get(name));
    for (String i : included) {
      if (seen.add(i)) {
        reachable(i, scripts, seen);
      }
    }
    return seen;
  }
}
