package fusion.store.sql;

import static fusion.store.Calls.T0;
import static fusion.store.Calls.identify;
import static fusion.store.Calls.track;
import static fusion.store.sql.DbRows.one;
import static fusion.store.sql.DbRows.rows;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import fusion.store.ProfileSummary;
import fusion.store.ProfileView;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiles' activity (first seen, last seen, events) is written in snapshots on SQLite (schema
 * v14, {@link ProfileActivity}): committed activity waits in memory and every read lays it over
 * the table's row; a merge writes the snapshot with its commit. A start after a crash adds the
 * log's rows after the mark: {@code RelationshipSnapshotTest.aStartAfterACrashWritesTheWaitingStatesFromTheLedger}
 * compares the profiles table too, with merges in its traffic.
 */
class ProfileActivityTest {
    @TempDir
    Path dir;

    private static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    /** No snapshot by size during a test: only by a digest, a merge, a close (or 5 s). */
    private static final StoreSettings WAITING = StoreSettings.defaults().withRelationshipSnapshot(10_000_000);

    private static SegmentCall order(String id, String user, Instant at) {
        return track(id, user, null, "Order Completed", at, Map.of("brand", "glitter", "revenue", 10));
    }

    /**
     * Worked by hand. ana has 3 events and bob 1 when the table is written; then bob gets 5 more and
     * ana one an hour before her first. The table still says ana 3, bob 1; every read says ana 4
     * (first seen an hour earlier) and bob 6, and search ranks bob first, which the table alone
     * would not.
     */
    @Test
    void readsSeeTheActivityThatWaitsForTheTable() throws Exception {
        Instant h = T0;
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), WAITING)) {
            s.ingest(List.of(
                    order("a1", "ana", h),
                    order("a2", "ana", h.plusSeconds(3600)),
                    order("a3", "ana", h.plusSeconds(7200)),
                    order("b1", "bob", h.plusSeconds(1800))));
            s.digest(); // writes the table
            List<SegmentCall> later = new ArrayList<>();
            for (int i = 0; i < 5; i++) later.add(order("b" + (i + 2), "bob", h.plusSeconds(10_800 + i)));
            later.add(order("a4", "ana", h.minusSeconds(3600)));
            s.ingest(later);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
                assertThat(rows(c, "SELECT id || '/' || events FROM profiles ORDER BY id"))
                        .as("the table as of the digest")
                        .containsExactly("ana/3", "bob/1");
            }
            ProfileView ana = s.profile("ana").orElseThrow();
            ProfileView bob = s.profile("bob").orElseThrow();
            assertThat(ana.events()).isEqualTo(4);
            assertThat(ana.firstSeen()).isEqualTo(h.minusSeconds(3600));
            assertThat(ana.lastSeen()).isEqualTo(h.plusSeconds(7200));
            assertThat(bob.events()).isEqualTo(6);
            assertThat(bob.firstSeen()).isEqualTo(h.plusSeconds(1800));
            assertThat(bob.lastSeen()).isEqualTo(h.plusSeconds(10_804));
            assertThat(s.searchProfiles("", 1))
                    .extracting(ProfileSummary::id, ProfileSummary::events)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("bob", 6L));
            assertThat(s.searchProfiles("", 10))
                    .extracting(ProfileSummary::id, ProfileSummary::events, ProfileSummary::lastSeen)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("bob", 6L, h.plusSeconds(10_804)),
                            org.assertj.core.groups.Tuple.tuple("ana", 4L, h.plusSeconds(7200)));
            List<String> each = new ArrayList<>();
            s.forEachProfile(p -> each.add(p.id() + "/" + p.events() + "/" + p.lastSeen()));
            assertThat(each).containsExactly("ana/4/" + h.plusSeconds(7200), "bob/6/" + h.plusSeconds(10_804));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
            assertThat(rows(c, "SELECT id || '/' || events || '/' || first_seen FROM profiles ORDER BY id"))
                    .as("the close wrote the table")
                    .containsExactly(
                            "ana/4/" + h.minusSeconds(3600).toEpochMilli(),
                            "bob/6/" + h.plusSeconds(1800).toEpochMilli());
            assertThat(one(c, "SELECT through FROM index_marks WHERE name = 'activity'"))
                    .isEqualTo(one(c, "SELECT MAX(seq) FROM events"));
        }
    }

    /**
     * A merge moves the absorbed profile's activity into the survivor's and deletes its row, which
     * the log after the mark does not say: the merge's commit writes the table and moves the mark.
     * Worked by hand: an anonymous visitor's 2 events and the user's 3, then an identify naming
     * both (one more event): 6 events from the visitor's first to the identify.
     */
    @Test
    void aMergeWritesTheActivityWithItsCommit() throws Exception {
        try (SqlStore s = SqlStore.sqlite(dir, pipeline(), WAITING)) {
            s.ingest(List.of(
                    track("v1", null, "visitor", "Product Viewed", T0, Map.of("brand", "glitter")),
                    track("v2", null, "visitor", "Product Viewed", T0.plusSeconds(60), Map.of("brand", "glitter")),
                    order("u1", "ana", T0.plusSeconds(120)),
                    order("u2", "ana", T0.plusSeconds(180)),
                    order("u3", "ana", T0.plusSeconds(240))));
            s.ingest(List.of(identify("i1", "ana", "visitor", T0.plusSeconds(300), Map.of())));
            ProfileView ana = s.profile("ana").orElseThrow();
            assertThat(s.profile("visitor").orElseThrow().id()).isEqualTo(ana.id());
            assertThat(ana.events()).isEqualTo(6);
            assertThat(ana.firstSeen()).isEqualTo(T0);
            assertThat(ana.lastSeen()).isEqualTo(T0.plusSeconds(300));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fusion.db"))) {
                assertThat(rows(c, "SELECT id || '/' || events || '/' || first_seen || '/' || last_seen FROM profiles"))
                        .as("the merge's commit wrote the table")
                        .containsExactly(ana.id() + "/6/" + T0.toEpochMilli() + "/"
                                + T0.plusSeconds(300).toEpochMilli());
                assertThat(one(c, "SELECT through FROM index_marks WHERE name = 'activity'"))
                        .as("and moved the mark")
                        .isEqualTo(6);
            }
        }
    }

    /**
     * Reads race commits and snapshots (written at 3 waiting profiles, so the waiting states are
     * dropped every few batches): a read after an acknowledged batch counts every event of it
     * (read-your-writes), and reads never count an event twice nor go back.
     */
    @Test
    void readsRacingSnapshotsCountEachEventOnce() throws Exception {
        try (SqlStore s =
                SqlStore.sqlite(dir, pipeline(), StoreSettings.defaults().withRelationshipSnapshot(3))) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong sent = new AtomicLong();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Long> reader = pool.submit(() -> {
                    long reads = 0, last = 0;
                    while (writing.get()) {
                        long events = s.profile("ana").map(ProfileView::events).orElse(0L);
                        assertThat(events).as("never back").isGreaterThanOrEqualTo(last);
                        assertThat(events).as("never more than sent").isLessThanOrEqualTo(sent.get());
                        last = events;
                        reads++;
                    }
                    return reads;
                });
                for (int b = 0; b < 300; b++) {
                    List<SegmentCall> batch = new ArrayList<>();
                    batch.add(order("a" + b, "ana", T0.plus(Duration.ofMinutes(b))));
                    for (int i = 0; i < 3; i++) batch.add(order("o" + b + "-" + i, "u" + (b + i) % 7, T0));
                    sent.incrementAndGet();
                    s.ingest(batch);
                    assertThat(s.profile("ana").orElseThrow().events())
                            .as("read after batch %d", b)
                            .isEqualTo(b + 1);
                }
                writing.set(false);
                assertThat(reader.get())
                        .as("reads while batches were committed")
                        .isGreaterThan(50);
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
        }
    }
}
