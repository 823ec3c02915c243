package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: SQLite read connections do not map the database file. In WAL mode SQLite drops a
 * connection's whole mapping at every read transaction that finds the database changed, so under
 * ingest each profile read paid an munmap and a page fault per page it touched
 * (bench/results/read-tail-2026-12-06c.txt). The witnesses are SQLite's own setting as the
 * connection reports it and the kernel's list of this process's mappings.
 */
class ReaderMappingTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("issue 18: a SQLite read connection reads the database without mapping it into memory")
    void aReadConnectionDoesNotMapTheDatabase() throws Exception {
        Path file = dir.resolve("fusion.db");
        try (Connection w = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = w.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 0; i < 200; i++) s.execute("INSERT INTO t (v) VALUES (printf('%.500c', 'x'))");
        }
        Path maps = Path.of("/proc/self/maps");
        assertThat(maps).as("the kernel's list of mappings (Linux)").exists();
        try (ConnectionSource source = ConnectionSource.sqlite(file, false, 1)) {
            Connection c = source.borrow();
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), sum(length(v)) FROM t")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(200);
                    assertThat(rs.getLong(2)).isEqualTo(200L * 500);
                }
                String real = file.toRealPath().toString();
                List<String> mapped = Files.readAllLines(maps).stream()
                        .filter(l -> l.endsWith(real))
                        .toList();
                assertThat(mapped).as("mappings of %s", file).isEmpty();
                try (ResultSet rs = s.executeQuery("PRAGMA mmap_size")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1))
                            .as("the read connection's mmap_size")
                            .isZero();
                }
            } finally {
                source.giveBack(c);
            }
        }
    }
}
