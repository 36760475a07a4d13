package dev.ticketrush.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node program of the e2e folder (a browser or client test) to its end: its output goes to a log under
 * {@code target/} and is printed, so a failure shows what the program said. The caller asserts on the result.
 */
public final class NodeScript {
  private NodeScript() {
  }

  /** How it ended: {@code finished} false when it was killed at the deadline. */
  public record Result(boolean finished, int exitCode, String output) {
  }

  public static Result run(List<String> command, Map<String, String> env, String logName, Duration deadline)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(new File("e2e"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    File log = new File("target", logName);
    pb.redirectOutput(log);
    Process p = pb.start();
    boolean finished = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(log.toPath());
    System.out.println(out);
    return new Result(finished, finished ? p.exitValue() : -1, out);
  }
}
