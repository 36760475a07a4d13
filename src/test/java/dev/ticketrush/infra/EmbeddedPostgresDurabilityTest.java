package dev.ticketrush.infra;

import dev.ticketrush.support.Integration;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** Embedded PostgreSQL (dev mode) must be durable: an acknowledged order survives a power cut. */
@Integration
class EmbeddedPostgresDurabilityTest {

  @Test
  void embeddedPostgresRunsWithFsyncAndSynchronousCommit(@TempDir Path dataDir) throws Exception {
    // A Redis URL is given so that only PostgreSQL starts; nothing connects to it.
    try (EmbeddedServices services = EmbeddedServices.start("redis://127.0.0.1:1", null, dataDir)) {
      assertThat(Files.exists(dataDir.resolve("pg").resolve("PG_VERSION"))).as("data in dataDir/pg").isTrue();
      PgConnectOptions o = Database.connectOptions(services.pgUrl());
      String jdbc = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
      try (Connection c = DriverManager.getConnection(jdbc, o.getUser(), o.getPassword());
          Statement st = c.createStatement()) {
        assertThat(show(st, "fsync")).isEqualTo("on");
        assertThat(show(st, "synchronous_commit")).isEqualTo("on");
        assertThat(show(st, "full_page_writes")).isEqualTo("on");
      }
    }
  }

  private static String show(Statement st, String setting) throws Exception {
    try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
