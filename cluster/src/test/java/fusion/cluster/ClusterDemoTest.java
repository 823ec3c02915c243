package fusion.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.server.FusionServer;
import fusion.server.demo.Scenario;
import fusion.store.LogCodec;
import fusion.store.StateDigest;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code ./fusion cluster-demo --exit-when-done} end to end, against a single node's replay of what it logged. */
class ClusterDemoTest {
    private static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

    static PostgresServer postgres() {
        var s = PostgresServer.shared();
        if (!PostgresServer.required()) {
            Assumptions.assumeTrue(s.isPresent(), "PostgreSQL is not installed (apt-get install postgresql)");
        }
        return s.orElseThrow(() -> new IllegalStateException("CI must have PostgreSQL: .ci/run installs it"));
    }

    @Test
    @DisplayName("issue 14: cluster-demo --exit-when-done streams the seeded scenario through the ingest tier, Kafka "
            + "and the Flink job, and the serving tables hold every call once and equal a single node's replay")
    void theDemoEndsWithTheScenarioInTheServingTables() throws Exception {
        PostgresServer postgres = postgres();
        StoreUrl db = postgres.newDatabase();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream before = System.out;
        int code;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            code = Main.commandLine()
                    .execute(
                            "cluster-demo",
                            "--consumers",
                            "30",
                            "--at",
                            AT.toString(),
                            "--port",
                            "0",
                            "--store",
                            ClusterDemo.text(db),
                            "--state",
                            "heap",
                            "--exit-when-done",
                            "--timeout",
                            "PT5M");
        } finally {
            System.setOut(before);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("the job has applied every call").contains("lag 0 records");

        // every call of the scenario (the same seed, consumers and end), once
        List<ObjectNode> scenario = new Scenario(2026, 30, AT).messages();
        Set<String> sent =
                scenario.stream().map(m -> m.get("messageId").asText()).collect(Collectors.toSet());
        List<SegmentCall> log = logOf(db);
        assertThat(log.stream().map(SegmentCall::messageId).collect(Collectors.toSet()))
                .isEqualTo(sent);
        assertThat(log).hasSize(sent.size());
        assertThat(new HashSet<>(people(db)))
                .as("the demo's people have profiles")
                .hasSizeGreaterThan(20);

        // a single node given the same log, in its order, derives the same tables
        StateDigest single;
        try (SqlStore store =
                SqlStore.postgres(postgres.newDatabase(), FusionServer.pipeline(ModelConfig.defaults()), true)) {
            for (int from = 0; from < log.size(); from += 500) {
                store.ingest(log.subList(from, Math.min(log.size(), from + 500)));
            }
            single = store.digest();
        }
        StateDigest cluster;
        try (SqlStore store = SqlStore.postgres(db, FusionServer.pipeline(ModelConfig.defaults()), false)) {
            cluster = store.digest();
        }
        assertThat(cluster.rows()).isEqualTo(single.rows());
        assertThat(cluster.differences(single)).isEmpty();
    }

    /** The calls the job logged, in its log order. */
    private static List<SegmentCall> logOf(StoreUrl db) throws Exception {
        List<SegmentCall> out = new ArrayList<>();
        try (Connection c = connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT body FROM events ORDER BY seq")) {
            while (rs.next()) out.add(LogCodec.decode(rs.getString(1)));
        }
        return out;
    }

    private static List<String> people(StoreUrl db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT profile FROM events")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static Connection connect(StoreUrl db) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database(),
                db.user(),
                db.password() == null ? "" : db.password());
    }
}
