package dev.ticketrush.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code java -jar target/ticket-rush.jar loadtest --scenario ... --out reports/name}: parses the command line,
 * refuses non-loopback targets, runs the scenarios ({@link LoadRun}) and prints where the report is.
 * Exit status: 0 when every check held (no oversell, no server error), 1 when the run found a problem,
 * 2 for bad usage.
 */
public final class LoadTool {
  private LoadTool() {
  }

  public static void main(String[] args) {
    if (args.length == 2 && args[0].equals("--render")) {
      // Re-draws report.md and the charts of an existing report folder from its report.json.
      try {
        java.nio.file.Path dir = java.nio.file.Path.of(args[1]);
        ReportWriter.write(dir, new JsonObject(java.nio.file.Files.readString(dir.resolve("report.json"))));
        System.out.println("rendered " + dir.resolve("report.md"));
        System.exit(0);
      } catch (Exception e) {
        System.err.println("loadtest --render: " + e);
        System.exit(2);
      }
      return;
    }
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) {
        System.err.println("loadtest: " + e.getMessage());
      }
      System.err.print(LoadOptions.USAGE);
      System.exit("help".equals(e.getMessage()) ? 0 : 2);
      return;
    }
    System.out.println("loadtest " + options.scenarios() + " against " + options.baseUrl() + ": " + options.connections()
        + " connections, at most " + options.duration().toSeconds() + " s and " + options.maxRequests() + " requests; report in "
        + options.out().toAbsolutePath());
    int status;
    try {
      JsonObject report = LoadRun.run(options);
      status = summarize(report);
    } catch (Exception e) {
      System.err.println("loadtest failed: " + e);
      status = 1;
    }
    // Vert.x threads are closed by LoadRun; exit explicitly so that nothing can keep the tool alive.
    System.exit(status);
  }

  static int summarize(JsonObject report) {
    System.out.println();
    for (Object o : report.getJsonArray("slos", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      System.out.printf("%-22s %-14s %s%n", s.getString("name"), s.getString("status"), s.getString("measured"));
    }
    JsonObject t = report.getJsonObject("totals");
    System.out.println("report: " + report.getJsonObject("options").getString("out") + "/report.md");
    boolean ok = t.getBoolean("oversellCheckPassed") && t.getLong("serverErrors") == 0;
    for (Object o : report.getJsonArray("scenarios")) {
      ok &= !((JsonObject) o).containsKey("error");
    }
    return ok ? 0 : 1;
  }
}
