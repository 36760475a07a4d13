package dev.ticketrush.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "may import" table of docs/architecture.md is the rule itself: this test reads the table and checks every
 * dependency between the project's packages against it, so the document and the build cannot drift apart.
 * {@link ArchitectureTest} keeps the finer rules the table cannot say (which classes of a package, cycles).
 */
class ImportTableTest {
  private static final String ROOT = "dev.ticketrush";
  private static final Path DOC = Path.of("docs/architecture.md");
  private static final Pattern NAME = Pattern.compile("`([a-z.]+)`");
  /** The composition root's row: it may import everything. */
  private static final String ROOT_ROW = "";

  @Test
  void everyImportBetweenPackagesIsAllowedByTheTable() throws IOException {
    Map<String, Set<String>> table = readTable();
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(ROOT);

    Set<String> violations = new TreeSet<>();
    Set<String> unlisted = new TreeSet<>();
    for (JavaClass from : classes) {
      String fromRow = rowOf(from.getPackageName(), table.keySet());
      if (fromRow == null) {
        unlisted.add(from.getPackageName());
        continue;
      }
      Set<String> allowed = table.get(fromRow);
      if (allowed == null) {
        continue; // "everything"
      }
      for (Dependency d : from.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        if (!target.startsWith(ROOT)) {
          continue;
        }
        String toRow = rowOf(target, table.keySet());
        if (toRow == null) {
          unlisted.add(target);
        } else if (!toRow.equals(fromRow) && !allowed.contains(toRow)) {
          violations.add(label(fromRow) + " -> " + label(toRow) + " (" + from.getSimpleName() + " uses "
              + d.getTargetClass().getSimpleName() + ")");
        }
      }
    }
    assertThat(unlisted).as("packages missing from the table in " + DOC).isEmpty();
    assertThat(violations).as("imports the table in " + DOC + " does not allow").isEmpty();
  }

  @Test
  void theTableNamesEveryPackage() throws IOException {
    Map<String, Set<String>> table = readTable();
    assertThat(table).containsKeys(ROOT_ROW, "seat", "order", "payment", "payment.stripe", "queue", "event",
        "broadcast", "web", "outcome", "infra", "config", "loadtest", "gatewaysim");
    assertThat(table.get("seat")).as("seat's row").doesNotContain("queue", "order", "broadcast");
  }

  /**
   * Rows of the table: the packages of the first column (relative to dev.ticketrush; "" for the root), each with
   * the packages of the second column, or null for "everything".
   */
  static Map<String, Set<String>> readTable() throws IOException {
    Map<String, Set<String>> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(DOC)) {
      if (line.startsWith("| package | may import |")) {
        inTable = true;
        continue;
      }
      if (!inTable || line.startsWith("|---")) {
        continue;
      }
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.split("\\|");
      String packages = cells[1];
      String mayImport = cells[2].trim();
      Set<String> allowed = mayImport.startsWith("everything") ? null : names(mayImport);
      if (packages.trim().startsWith("root")) {
        rows.put(ROOT_ROW, allowed);
      } else {
        for (String p : names(packages)) {
          rows.put(p, allowed);
        }
      }
    }
    return rows;
  }

  private static Set<String> names(String cell) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = NAME.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The most specific row a package belongs to (payment.stripe before payment), or null. */
  private static String rowOf(String javaPackage, Set<String> rows) {
    if (javaPackage.equals(ROOT)) {
      return ROOT_ROW;
    }
    if (!javaPackage.startsWith(ROOT + ".")) {
      return null;
    }
    String rel = javaPackage.substring(ROOT.length() + 1);
    List<String> candidates = new ArrayList<>();
    for (String row : rows) {
      if (!row.isEmpty() && (rel.equals(row) || rel.startsWith(row + "."))) {
        candidates.add(row);
      }
    }
    return candidates.stream().max((a, b) -> Integer.compare(a.length(), b.length())).orElse(null);
  }

  private static String label(String row) {
    return row.isEmpty() ? "root" : row;
  }
}
