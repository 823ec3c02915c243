package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.store.Calls;
import fusion.store.Store;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate}, {@code copy} and {@code replay --store} against a real PostgreSQL. */
class PostgresCliTest {
    @TempDir
    Path dir;

    PostgresServer pg;

    @BeforeEach
    void server() {
        var s = PostgresServer.shared();
        if (!PostgresServer.required()) Assumptions.assumeTrue(s.isPresent(), "PostgreSQL is not installed");
        pg = s.orElseThrow();
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args) + "\n" + out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void copyMovesAnEmbeddedStoreIntoPostgresAndVerifiesItByReplay() {
        try (Store embedded = SqlStore.sqlite(dir, fusion.server.FusionServer.pipeline(ModelConfig.defaults()))) {
            var traffic = Calls.random(21, 600);
            for (int i = 0; i < traffic.size(); i += 200) embedded.ingest(traffic.subList(i, i + 200));
        }
        String url = pg.newDatabase().toString();
        String out = run("copy", "--from", dir.toString(), "--to", url);
        assertThat(out).startsWith("0\n").contains("copied 600 events").contains("equals the embedded store exactly");
        assertThat(run("copy", "--from", dir.toString(), "--to", url)).startsWith("2\n");
        assertThat(run("replay", "--store", url)).startsWith("0\n").contains("equals the live state exactly");
    }

    @Test
    void migrateBringsAnEmptyDatabaseToTheCurrentSchema() {
        String url = pg.newDatabase().toString();
        assertThat(run("migrate", "--store", url)).startsWith("0\n").contains("schema version 15");
        assertThat(run("migrate", "--store", url)).startsWith("0\n");
    }
}
