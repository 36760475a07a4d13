package dev.ticketrush.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration table in docs/operations.md is the one the declarations produce: no variable missing, none
 * extra, every default the code's. On a difference, run {@link ConfigTable#UPDATE_COMMAND}.
 */
class ConfigTableTest {
  private static final Path DOC = Path.of("docs/operations.md");

  @Test
  void operationsDocListsEveryDeclaredSettingWithItsDefault() throws Exception {
    String doc = Files.readString(DOC);
    assertThat(differences(doc)).as("docs/operations.md against the @Setting declarations; update with: "
        + ConfigTable.UPDATE_COMMAND).isEmpty();
    assertThat(section(doc)).as("meanings or layout differ; update with: " + ConfigTable.UPDATE_COMMAND)
        .isEqualTo(ConfigTable.markdown());
  }

  @Test
  void aMissingAnExtraOrADifferentDefaultIsReported() {
    String generated = ConfigTable.markdown();
    assertThat(differences(generated)).isEmpty();
    assertThat(differences(generated.replaceAll("(?m)^\\| `TICKETRUSH_HOLD_TTL_MS` .*\\n", "")))
        .containsExactly("missing from the doc: TICKETRUSH_HOLD_TTL_MS");
    assertThat(differences(generated.replace("|---|---|---|\n", "|---|---|---|\n| `TICKETRUSH_NO_SUCH` | x | `1` |\n")))
        .contains("in the doc but not declared: TICKETRUSH_NO_SUCH");
    assertThat(differences(generated.replace("| HTTP/WebSocket port | `8080` |", "| HTTP/WebSocket port | `80` |")))
        .containsExactly("TICKETRUSH_HTTP_PORT: the doc says `80`, the code `8080`");
  }

  @Test
  void rewritingKeepsTheRestOfTheDoc() {
    String doc = "# Operations\n\nbefore\n\n" + ConfigTable.BEGIN + "\nstale\n" + ConfigTable.END + "\nafter\n";
    assertThat(ConfigTable.replaceIn(doc)).isEqualTo("# Operations\n\nbefore\n\n" + ConfigTable.markdown() + "after\n");
    assertThat(ConfigTable.replaceIn("# Operations\n")).isEqualTo("# Operations\n\n" + ConfigTable.markdown());
  }

  @Test
  void everyVariableMapsBackToItsKey() {
    for (ConfigTable.Row row : ConfigTable.rows()) {
      assertThat(AppConfig.camelCase(row.variable().substring(AppConfig.ENV_PREFIX.length())))
          .as(row.variable()).isEqualTo(row.key());
    }
    assertThat(ConfigTable.rows().stream().map(ConfigTable.Row::key).distinct().count())
        .as("keys are unique").isEqualTo(ConfigTable.rows().size());
  }

  /** What differs between the doc's rows and the declared ones, one line per variable. */
  static List<String> differences(String doc) {
    Map<String, String> documented = rows(section(doc));
    Map<String, String> declared = new LinkedHashMap<>();
    ConfigTable.rows().forEach(r -> declared.put(r.variable(), r.defaultText()));
    List<String> out = new ArrayList<>();
    declared.keySet().stream().filter(v -> !documented.containsKey(v)).forEach(v -> out.add("missing from the doc: " + v));
    documented.keySet().stream().filter(v -> !declared.containsKey(v)).forEach(v -> out.add("in the doc but not declared: " + v));
    declared.forEach((v, d) -> {
      if (documented.containsKey(v) && !documented.get(v).equals(d)) {
        out.add(v + ": the doc says " + documented.get(v) + ", the code " + d);
      }
    });
    return out;
  }

  private static String section(String doc) {
    int begin = doc.indexOf(ConfigTable.BEGIN);
    int end = doc.indexOf(ConfigTable.END);
    assertThat(begin).as("the doc has the generated section's first line").isNotNegative();
    assertThat(end).as("the doc has the generated section's last line").isGreaterThan(begin);
    return doc.substring(begin, end + ConfigTable.END.length()) + "\n";
  }

  /** variable → default column of every table row. */
  private static Map<String, String> rows(String section) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : section.split("\n")) {
      if (line.startsWith("| `" + AppConfig.ENV_PREFIX)) {
        String[] cells = line.substring(1, line.length() - 1).split(" \\| ");
        rows.put(cells[0].trim().replace("`", ""), cells[cells.length - 1].trim());
      }
    }
    return rows;
  }
}
