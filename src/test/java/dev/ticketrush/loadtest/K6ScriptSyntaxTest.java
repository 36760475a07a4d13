package dev.ticketrush.loadtest;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * k6 cannot run on the build machines, so the build at least parses every k6/*.js as an ES module with Node
 * ({@code node --check --input-type=module < file}); the k6/* imports are never resolved by --check.
 */
class K6ScriptSyntaxTest {
  static final Path K6 = Path.of("k6");

  @TestFactory
  Stream<DynamicTest> everyK6ScriptParsesAsAnEsModule() throws Exception {
    assertThat(K6).as("the k6/ folder (tests run from the project root)").isDirectory();
    List<Path> scripts;
    try (Stream<Path> files = Files.list(K6)) {
      scripts = files.filter(p -> p.getFileName().toString().endsWith(".js")).sorted().toList();
    }
    assertThat(scripts).as("k6 scripts").isNotEmpty();
    return scripts.stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
      String node = findNode();
      assumeTrue(node != null, "node is not on PATH: the k6 scripts were not syntax-checked (install Node.js to check them)");
      Path err = Files.createTempFile("node-check", ".txt");
      try {
        Process p = new ProcessBuilder(node, "--check", "--input-type=module")
            .redirectInput(script.toFile())
            .redirectErrorStream(true)
            .redirectOutput(err.toFile())
            .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(p.exitValue()).as(script + ": " + Files.readString(err, StandardCharsets.UTF_8)).isZero();
      } finally {
        Files.deleteIfExists(err);
      }
    }));
  }

  static String findNode() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
