package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.Scenario;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same seeded demo through the public API into each store gives byte-identical answers. */
class SameNumbersOnBothStoresTest {
    private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDemoScenarioGivesTheSameNumbersOnSqliteAndPostgres(@TempDir Path dir) throws Exception {
        var pg = PostgresServer.shared();
        if (!PostgresServer.required()) Assumptions.assumeTrue(pg.isPresent(), "PostgreSQL is not installed");
        List<ObjectNode> scenario = new Scenario(9, 150, AT).messages();
        var credentials = new Credentials("w", "a");
        try (FusionServer sqlite = FusionServer.start(
                        FusionConfig.of("127.0.0.1", 0, credentials),
                        SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())));
                FusionServer postgres = FusionServer.start(
                        FusionConfig.of("127.0.0.1", 0, credentials),
                        SqlStore.postgres(
                                pg.orElseThrow().newDatabase(), FusionServer.pipeline(ModelConfig.defaults()), true))) {
            for (FusionServer s : List.of(sqlite, postgres)) {
                new DemoLoader(
                                URI.create("http://127.0.0.1:" + s.port()),
                                "w",
                                new PrintStream(new ByteArrayOutputStream()))
                        .load(scenario);
            }
            for (String path : List.of(
                    "/api/brands",
                    "/api/brands/glitter",
                    "/api/profiles/popstar/relationships",
                    "/api/profiles/demo-alice/relationships",
                    "/api/profiles/demo-alice/timeline",
                    "/api/stats")) {
                String a = get(sqlite, path);
                assertThat(get(postgres, path)).as(path).isEqualTo(a);
                assertThat(a).as(path).hasSizeGreaterThan(20);
            }
            assertThat(get(sqlite, "/api/profiles/popstar/relationships")).contains("incident at salmonella");
        }
    }

    private String get(FusionServer s, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path + "?at=" + AT))
                                .header("Authorization", "Bearer a")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
