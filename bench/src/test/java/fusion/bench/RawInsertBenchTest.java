package fusion.bench;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench's row count and raw insert on both stores, against the schema the server writes
 * (the ledger's v8 columns: a SMALLINT kind, contributions and state as bytes).
 */
class RawInsertBenchTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    @DisplayName("issue 18 bench: RawInsertBench counts what a server wrote, and its raw insert writes the mix it"
            + " is given, on both stores")
    void countsAServersRowsAndInsertsTheGivenMix(String kind) throws Exception {
        String target = target(kind);
        Pipeline pipeline = new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
        try (SqlStore store = kind.equals("sqlite")
                ? SqlStore.sqlite(dir, pipeline)
                : SqlStore.postgres(StoreUrl.parse(target), pipeline, true)) {
            store.ingest(List.of(
                    track("m1", "ana", T0),
                    track("m2", "ana", T0.plusSeconds(1)),
                    track("m3", "bea", T0.plusSeconds(2))));
        }
        RawInsertBench.Mix wrote = RawInsertBench.count(target);
        // three calls of two people, each a purchase at one brand: hand-counted
        assertThat(wrote.events()).isEqualTo(3);
        assertThat(wrote.profiles()).isEqualTo(2);
        assertThat(wrote.relationships()).isEqualTo(2);
        assertThat(wrote.ledger()).isPositive();
        assertThat(wrote.ledgerTextChars()).isPositive();

        if (kind.equals("postgresql")) { // the raw insert drops and re-creates Fusion's tables there
            RawInsertBench.Mix mix = RawInsertBench.Mix.parse(
                    "events=100 ledger=50 relationships=8 profiles=4 identities=25 body=300 ledgerText=100");
            RawInsertBench.main(new String[] {"200", target, mix.toString()});
            RawInsertBench.Mix raw = RawInsertBench.count(target);
            // 200 events at the mix's ratios: 200 x 50/100 ledger rows, 200 x 25/100 identities, 4 profiles
            assertThat(raw.events()).isEqualTo(200);
            assertThat(raw.ledger()).isEqualTo(100);
            assertThat(raw.profiles()).isEqualTo(4);
            assertThat(raw.identities()).isEqualTo(50);
            // and, as the server does since schema v10, an index entry per log and ledger row
            StoreUrl url = StoreUrl.parse(target);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                            "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(),
                            url.user(),
                            url.password() == null ? "" : url.password());
                    java.sql.Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery(
                            "SELECT (SELECT COUNT(*) FROM profile_seqs), (SELECT COUNT(*) FROM pair_seqs)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("per-profile index entries").isEqualTo(200);
                assertThat(rs.getLong(2)).as("pair index entries").isEqualTo(100);
            }
        }
    }

    private String target(String kind) {
        if (kind.equals("sqlite")) return "sqlite:" + dir;
        var server = PostgresServer.shared();
        if (!PostgresServer.required()) {
            Assumptions.assumeTrue(server.isPresent(), "PostgreSQL is not installed (apt-get install postgresql)");
        }
        StoreUrl url = server.orElseThrow(
                        () -> new IllegalStateException("CI must have PostgreSQL: .ci/run installs it"))
                .newDatabase();
        return "postgresql://"
                + (url.user() == null ? "" : url.user() + (url.password() == null ? "" : ":" + url.password()) + "@")
                + url.host() + ":" + url.port() + "/" + url.database();
    }

    private static SegmentCall track(String id, String user, Instant at) {
        return new SegmentCall(
                SegmentCall.Type.TRACK,
                id,
                user,
                null,
                "Order Completed",
                null,
                null,
                null,
                Map.of("brand", "glitter", "revenue", 20),
                Map.of(),
                Map.of(),
                at,
                at);
    }
}
