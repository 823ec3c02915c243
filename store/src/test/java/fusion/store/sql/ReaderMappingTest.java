package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
                assertThat(mappings(file)).as("mappings of %s", file).isEmpty();
                assertThat(mmapSize(c)).as("the read connection's mmap_size").isZero();
            } finally {
                source.giveBack(c);
            }
        }
    }

    @Test
    @DisplayName(
            "issue 18: a brand's series maps the database file for its read only, and gives the read connection back unmapped")
    void aSeriesReadMapsTheFileForItsReadOnly() throws Exception {
        Engine engine = new Engine(ModelConfig.defaults());
        Instant at = Calls.T0.plus(Duration.ofDays(70));
        try (SqlStore server = SqlStore.sqlite(dir, new Pipeline(engine, SegmentMapping.standard("own")))) {
            for (List<SegmentCall> batch : Calls.forBrandSeries(31)) server.ingest(batch);
        } // closed: the writer's own mapping of the file is gone
        Path file = dir.resolve("fusion.db");
        assertThat(mappings(file)).as("mappings once the server closed").isEmpty();
        try (ConnectionSource source = ConnectionSource.sqlite(file, false, 1)) {
            Connection c = source.borrow();
            try {
                AtomicInteger mappedDuringRead = new AtomicInteger();
                AtomicInteger parties = new AtomicInteger();
                var reads = new BrandSeriesReads(c, Dialect.SQLITE, null, null, c::prepareStatement);
                BrandSeries series = new BrandSeries(engine, at, 70);
                // asked for each party while the read runs: the file is mapped then
                reads.feed(series, "glitter", party -> {
                    parties.incrementAndGet();
                    if (!mappings(file).isEmpty()) mappedDuringRead.incrementAndGet();
                    return true;
                });
                assertThat(parties.get()).as("parties read").isPositive();
                assertThat(mappedDuringRead.get())
                        .as("parties asked for while the file was mapped")
                        .isEqualTo(parties.get());
                assertThat(series.points().stream().mapToLong(p -> p.events()).sum())
                        .as("the series' events")
                        .isPositive();
                assertThat(mappings(file)).as("mappings after the read").isEmpty();
                assertThat(mmapSize(c))
                        .as("the connection's mmap_size after the read")
                        .isZero();
            } finally {
                source.giveBack(c);
            }
        }
    }

    private static long mmapSize(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA mmap_size")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static List<String> mappings(Path file) {
        try {
            String real = file.toRealPath().toString();
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.endsWith(real))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
