package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Contribution;
import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.Relationship;
import fusion.core.engine.Target;
import fusion.core.segment.SegmentMapping;
import fusion.store.LedgerView;
import fusion.store.Pipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration 8 on one row of the text form written by hand (schema versions 1..7): every number
 * it held reads back with the same bits, and a row that does not decode stops the migration and
 * leaves the store as it was.
 */
class LedgerV8MigrationTest {
    @TempDir
    Path dir;

    private static final long T = 1_772_323_200_000L; // 2026-03-01T00:00:00Z

    private static final Pipeline PIPELINE =
            new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));

    /** A version-7 store holding one ledger row: {@code kind}, then the JSON and the state text given. */
    private static Connection versionSevenWith(Path dir, String kind, String contributions, String state)
            throws Exception {
        SqlStore.sqlite(dir, PIPELINE).close();
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"));
        try (Statement s = c.createStatement()) {
            LedgerDowngrade.undoLaterThanSeven(s);
            // the V1 table, as V1__init.sql created it
            s.execute("DROP TABLE ledger");
            s.execute("CREATE TABLE ledger (seq INTEGER PRIMARY KEY, party TEXT NOT NULL, brand TEXT NOT NULL, "
                    + "time BIGINT NOT NULL, event_id TEXT NOT NULL, kind TEXT NOT NULL, "
                    + "experience_before DOUBLE PRECISION NOT NULL, experience_after DOUBLE PRECISION NOT NULL, "
                    + "fusion_before DOUBLE PRECISION NOT NULL, fusion_after DOUBLE PRECISION NOT NULL, "
                    + "faded DOUBLE PRECISION NOT NULL, note TEXT NOT NULL, contributions TEXT NOT NULL, "
                    + "state TEXT NOT NULL)");
            s.execute("CREATE INDEX ledger_pair ON ledger (party, brand, seq)");
            s.execute("CREATE INDEX ledger_brand ON ledger (brand, time)");
            s.execute("INSERT INTO ledger VALUES (7, 'ana', 'glitter', " + T + ", 'm-42', '" + kind + "', 50.0, 48.0, "
                    + "61.5, 58.3, -0.0125, 'incident at salmonella by ana spread here (association 0.61)', '"
                    + contributions + "', '" + state + "')");
            s.execute("UPDATE schema_version SET version = 7");
        }
        return c;
    }

    private static final String CONTRIBUTIONS = "[{\"rule\":\"propagation\",\"target\":\"consumer_gives\","
            + "\"points\":-1.2345678901234567,\"detail\":\"rude to 1.3M followers\"}]";

    /**
     * State 5 ms after the entry; needs met 1.0, needs failed 0, ease good 0.1, ease bad -0.0,
     * delight 0, brand gives 2.5, consumer gives -1.2345678901234567, association 0.5; 3 events;
     * money 100.0; first seen a day before the entry. The hex of each double worked out by hand.
     */
    private static final String STATE = (T + 5) + " 3ff0000000000000 0 3fb999999999999a 8000000000000000 0 "
            + "4004000000000000 bff3c0ca428c59fb 3fe0000000000000 3 4059000000000000 " + (T - 86_400_000L);

    @Test
    @DisplayName("issue 18 the ledger: a version-7 text row converted by migration 8 reads back with every bit it had")
    void aTextRowReadsBackIdentically() throws Exception {
        try (Connection c = versionSevenWith(dir, "propagated", CONTRIBUTIONS, STATE)) {
            try (SqlStore s = SqlStore.sqlite(dir, PIPELINE)) {
                List<LedgerView> read = s.ledger("ana", "glitter", 10);
                assertThat(read).hasSize(1);
                LedgerView v = read.get(0);
                assertThat(List.of(v.seq(), v.time(), v.eventId(), v.kind()))
                        .isEqualTo(List.of(7L, Instant.ofEpochMilli(T), "m-42", "propagated"));
                assertThat(List.of(v.experienceBefore(), v.experienceAfter(), v.fusionBefore(), v.fusionAfter()))
                        .isEqualTo(List.of(50.0, 48.0, 61.5, 58.3));
                // rendered from the converted note and contributions: -3.2 and -2.0 by subtraction,
                // the points to two decimals, no fading line (|-0.0125| < 0.05)
                assertThat(v.cause())
                        .isEqualTo("-3.2 fusion, -2.0 experience: incident at salmonella by ana spread here "
                                + "(association 0.61) (propagation -1.23: rude to 1.3M followers)");
            }
            assertThat(Migrations.version(c)).isEqualTo(Migrations.LATEST);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT kind, faded, contributions, state, typeof(state) " + "FROM ledger WHERE seq = 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(Double.doubleToRawLongBits(rs.getDouble(2))).isEqualTo(0xbf8999999999999aL);
                assertThat(rs.getString(5)).isEqualTo("blob");
                List<Contribution> cs = LedgerCodec.contributions(rs.getBytes(3));
                assertThat(cs)
                        .containsExactly(new Contribution(
                                "propagation", Target.CONSUMER_GIVES, -1.2345678901234567, "rude to 1.3M followers"));
                assertThat(Double.doubleToRawLongBits(cs.get(0).points())).isEqualTo(0xbff3c0ca428c59fbL);
                Relationship r = LedgerCodec.state("ana", "glitter", T, rs.getBytes(4));
                assertThat(List.of(r.asOfMillis(), r.events(), r.firstSeenMillis()))
                        .isEqualTo(List.of(T + 5, 3L, T - 86_400_000L));
                assertThat(List.of(
                                Double.doubleToRawLongBits(r.needsMet()),
                                Double.doubleToRawLongBits(r.needsFailed()),
                                Double.doubleToRawLongBits(r.easeGood()),
                                Double.doubleToRawLongBits(r.easeBad()),
                                Double.doubleToRawLongBits(r.delight()),
                                Double.doubleToRawLongBits(r.brandGives()),
                                Double.doubleToRawLongBits(r.consumerGives()),
                                Double.doubleToRawLongBits(r.association()),
                                Double.doubleToRawLongBits(r.money())))
                        .isEqualTo(List.of(
                                0x3ff0000000000000L,
                                0L,
                                0x3fb999999999999aL,
                                0x8000000000000000L,
                                0L,
                                0x4004000000000000L,
                                0xbff3c0ca428c59fbL,
                                0x3fe0000000000000L,
                                0x4059000000000000L));
            }
        }
    }

    @Test
    @DisplayName(
            "issue 18 the ledger: a text row that does not decode stops migration 8 naming its seq and column, and the store stays at version 7")
    void aRowThatDoesNotDecodeStopsTheMigration() throws Exception {
        Path badState = dir.resolve("bad-state");
        try (Connection c = versionSevenWith(badState, "propagated", CONTRIBUTIONS, "12 34")) {
            assertThatThrownBy(() -> SqlStore.sqlite(badState, PIPELINE).close())
                    .hasStackTraceContaining("ledger seq 7, state: cannot read '12 34'");
            assertThat(Migrations.version(c)).isEqualTo(7);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT state, (SELECT COUNT(*) FROM sqlite_master WHERE name = "
                            + "'ledger_v8') FROM ledger")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("12 34");
                assertThat(rs.getInt(2)).isZero();
            }
        }
        Path badKind = dir.resolve("bad-kind");
        try (Connection c = versionSevenWith(badKind, "spread", CONTRIBUTIONS, STATE)) {
            assertThatThrownBy(() -> SqlStore.sqlite(badKind, PIPELINE).close())
                    .hasStackTraceContaining(
                            "ledger seq 7, kind: expected event, propagated or merge but the store holds 'spread'");
            assertThat(Migrations.version(c)).isEqualTo(7);
        }
    }
}
