package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Calls;
import fusion.store.Pipeline;
import fusion.store.ProfileSummary;
import fusion.store.RelationshipView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18: a profile read takes the ledger's newest rows from the writer's ring ({@link
 * LedgerRing}) and gives what the table gives. The second method is the same store's ledger read
 * ({@link SqlStore#ledger}), which takes every row from the table: for every pair of every
 * profile, after seeded traffic with identity merges (which rename a party's rows in the table and
 * not in the ring), propagation to co-parties, rollbacks of refused batches, and small index runs
 * (so that a pair's seqs come from the writer's memory and from the index's tables).
 */
class LedgerRingStoreTest {
    private static final Pipeline PIPELINE =
            new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));

    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear"};

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    @DisplayName(
            "issue 18: the relationships read's ledgers, partly from the ring, equal the table's rows for every pair")
    void ringRowsEqualTheTables(long seed) {
        Random r = new Random(seed);
        try (SqlStore s =
                SqlStore.sqlite(dir, PIPELINE, StoreSettings.defaults().withIndexRun(40 + r.nextInt(80)))) {
            // the shared generator's merges and co-parties, among purchases of 50 people who never merge
            List<SegmentCall> merging = Calls.random(seed, 600);
            List<SegmentCall> calls = new java.util.ArrayList<>();
            for (int i = 0, m = 0; m < merging.size(); i++) {
                if (r.nextInt(2) == 0) {
                    calls.add(merging.get(m++));
                } else {
                    calls.add(Calls.track(
                            "t" + seed + "-" + i,
                            "v" + r.nextInt(50),
                            null,
                            "Order Completed",
                            Calls.T0.plusSeconds(r.nextInt(60 * 86_400)),
                            java.util.Map.of("brand", BRANDS[r.nextInt(BRANDS.length)], "revenue", r.nextInt(200))));
                }
            }
            for (int i = 0; i < calls.size(); ) {
                int n = Math.min(calls.size() - i, 1 + r.nextInt(30));
                s.ingest(calls.subList(i, i + n));
                i += n;
            }
            Instant at = Calls.T0.plusSeconds(90L * 86_400);
            int pairs = 0;
            for (ProfileSummary p : s.searchProfiles("", 500)) {
                for (int limit : new int[] {1, 4, 10, 200}) {
                    for (RelationshipView v : s.relationships(p.id(), at, limit)) {
                        if (v.associationOnly()) continue;
                        assertThat(v.ledger())
                                .as("%s with %s, limit %d", p.id(), v.brand(), limit)
                                .isEqualTo(s.ledger(p.id(), v.brand(), limit));
                        pairs++;
                    }
                }
            }
            assertThat(pairs).as("pairs compared").isGreaterThan(200);
            assertThat(s.ledgerRows().served()).as("rows the ring gave").isGreaterThan(100);
        }
    }

    @Test
    @DisplayName("issue 18: an erasure leaves no byte of the person in the ring, and reads after it are the table's")
    void anErasureLeavesNothingInTheRing() {
        try (SqlStore s = SqlStore.sqlite(dir, PIPELINE)) {
            s.ingest(Calls.random(9, 400));
            String person = s.profile("u7").orElseThrow().id();
            assertThat(new String(s.ledgerRows().bytesForTest(), StandardCharsets.ISO_8859_1))
                    .as("the ring before the erasure")
                    .contains(person);
            s.erase(person, "token:test", new PrintStream(new ByteArrayOutputStream()));
            assertThat(new String(s.ledgerRows().bytesForTest(), StandardCharsets.ISO_8859_1))
                    .as("the ring after the erasure")
                    .doesNotContain(person);
            s.ingest(Calls.random(10, 100));
            Instant at = Calls.T0.plusSeconds(90L * 86_400);
            for (ProfileSummary p : s.searchProfiles("", 500)) {
                for (RelationshipView v : s.relationships(p.id(), at, 10)) {
                    if (v.associationOnly()) continue;
                    assertThat(v.ledger())
                            .as("%s with %s", p.id(), v.brand())
                            .isEqualTo(s.ledger(p.id(), v.brand(), 10));
                }
            }
        }
    }
}
