package dev.ticketrush.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The programs some integration tests need that Maven cannot bring. A missing one fails the test with one line that
 * says what to install; it never skips it. ({@code mvn verify} checks them all first, in e2e/install.sh.)
 */
public final class SystemTools {
  private SystemTools() {
  }

  /** An executable on the PATH (or in /usr/bin), else the failure line naming {@code install}. */
  public static String require(String name, String install) {
    for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
      File f = new File(d, name);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    throw new AssertionError(name + " is not installed: " + install);
  }

  /** Debian's chromium (or {@code $CHROMIUM}), for the browser test. */
  public static String chromium() {
    String path = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    if (!new File(path).canExecute()) {
      throw new AssertionError("no Chromium at " + path + ": apt-get install chromium, or set CHROMIUM to a Chromium binary");
    }
    return path;
  }

  /** Node.js and the e2e npm package {@code name} (installed by {@code mvn verify}, or {@code cd e2e && npm ci}). */
  public static void requireE2e(String name) {
    require("node", "the JS client and browser tests need Node.js 20+ (apt-get install nodejs npm)");
    if (!Files.isDirectory(Path.of("e2e/node_modules", name))) {
      throw new AssertionError("e2e package " + name + " is missing: run mvn verify (it runs npm ci in e2e/) or cd e2e && npm ci");
    }
  }

  /** redis-server or redis-cli, for the Redis Cluster and Sentinel tests (real server processes). */
  public static String redis(String name) {
    return require(name, "the Redis Cluster/Sentinel tests need real Redis servers (apt-get install redis-server redis-tools)");
  }
}
