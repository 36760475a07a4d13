package dev.ticketrush.config;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the configuration tables of docs/operations.md from the {@link Setting} declarations, so the documented
 * variables and defaults are the ones the code reads. ConfigTableTest fails when the doc and the declarations
 * differ; {@link #main} brings the doc up to date:
 * {@value #UPDATE_COMMAND}
 */
public final class ConfigTable {
  public static final String UPDATE_COMMAND = "mvn -B -q compile exec:java "
      + "-Dexec.mainClass=dev.ticketrush.config.ConfigTable -Dexec.args=docs/operations.md";
  private static final String BEGIN_PREFIX = "<!-- BEGIN configuration table";
  public static final String BEGIN = BEGIN_PREFIX + ": generated from the @Setting declarations in "
      + "AppConfig; update with `" + UPDATE_COMMAND + "` -->";
  public static final String END = "<!-- END configuration table -->";

  private ConfigTable() {
  }

  /** One documented setting: a row of the table. */
  public record Row(String concern, String variable, String key, String meaning, String defaultText) {
    String markdown() {
      return "| `" + variable + "` | " + meaning + " | " + defaultText + " |";
    }
  }

  /** Every declared setting, concern by concern, in declaration order. */
  public static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Class<? extends Record>> concern : AppConfig.CONCERNS) {
      for (RecordComponent component : concern.getValue().getRecordComponents()) {
        Setting s = Settings.declaration(component);
        rows.add(new Row(concern.getKey(), Settings.variable(s.key()), s.key(), s.meaning(), defaultText(s)));
      }
    }
    return rows;
  }

  /** The generated section, markers included. */
  public static String markdown() {
    StringBuilder md = new StringBuilder(BEGIN).append("\n\n");
    md.append("Every setting has a default; `conf/application.json` holds only overrides, and every key can be set by an\n"
        + "environment variable `TICKETRUSH_<KEY_IN_UPPER_SNAKE>` (e.g. `holdTtlMs` ⇔ `TICKETRUSH_HOLD_TTL_MS`), which\n"
        + "wins over the file. A blank value counts as unset.\n");
    String concern = null;
    for (Row row : rows()) {
      if (!row.concern().equals(concern)) {
        concern = row.concern();
        md.append("\n### ").append(concern).append("\n\n| variable | meaning | default |\n|---|---|---|\n");
      }
      md.append(row.markdown()).append('\n');
    }
    return md.append('\n').append(END).append('\n').toString();
  }

  /** The generated section in place of the one in {@code doc} (appended when the doc has none yet). */
  public static String replaceIn(String doc) {
    int begin = doc.indexOf(BEGIN_PREFIX);
    int end = doc.indexOf(END);
    if (begin < 0 || end < begin) {
      return doc + (doc.isEmpty() || doc.endsWith("\n\n") ? "" : doc.endsWith("\n") ? "\n" : "\n\n") + markdown();
    }
    return doc.substring(0, begin) + markdown() + doc.substring(end + END.length() + (doc.startsWith("\n", end + END.length()) ? 1 : 0));
  }

  /** With a path: rewrites that file's table section. Without: prints the section. */
  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.out.print(markdown());
      return;
    }
    Path doc = Path.of(args[0]);
    String text = Files.isRegularFile(doc) ? Files.readString(doc) : "";
    Files.writeString(doc, replaceIn(text));
  }

  private static String defaultText(Setting s) {
    String dev = Settings.defaultText(s, Mode.DEV);
    String production = Settings.defaultText(s, Mode.PRODUCTION);
    String text = dev.equals(production) ? literal(dev)
        : literal(dev) + " in dev mode, " + literal(production) + " in production";
    if (s.note().isEmpty()) {
      return text;
    }
    return text.endsWith("unset") ? text + " → " + s.note() : text + " (" + s.note() + ")";
  }

  private static String literal(String value) {
    return value.equals(Setting.UNSET) ? "unset" : "`" + value + "`";
  }
}
