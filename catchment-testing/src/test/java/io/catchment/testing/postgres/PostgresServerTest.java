package io.catchment.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

  @Test
  void startsPostgres15WithPgvectorAndHandsOutSeparateDatabases() throws SQLException {
    PostgresServer server = PostgresServer.shared();
    assertThat(PostgresServer.shared()).isSameAs(server);
    assertThat(server.port()).isBetween(1024, 32767); // below the ephemeral range
    assertThat(server.user()).isEqualTo("postgres");

    String first = server.newDatabase("server-test");
    String second = server.newDatabase("server-test");
    assertThat(first).isNotEqualTo(second).startsWith("jdbc:postgresql://127.0.0.1:" + server.port() + "/");
    assertThat(queryOne(first, "SELECT current_database()"))
        .isNotEqualTo(queryOne(second, "SELECT current_database()"));

    for (String url : new String[] {first, second}) {
      assertThat(queryOne(url, "SELECT extversion FROM pg_extension WHERE extname='vector'")).isNotBlank();
      assertThat(queryOne(url, "SELECT version()")).startsWith("PostgreSQL 15");
    }
    // The extension really works, not just its catalog entry.
    assertThat(queryOne(first, "SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector")).isEqualTo("1");
  }

  private static String queryOne(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as("a row from %s", sql).isTrue();
      return rs.getString(1);
    }
  }
}
