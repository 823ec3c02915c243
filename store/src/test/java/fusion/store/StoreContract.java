package fusion.store;

import static fusion.store.Calls.T0;
import static fusion.store.Calls.identify;
import static fusion.store.Calls.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, run unchanged against each one: idempotent ingest by messageId,
 * all-or-nothing batches, profiles and identity merges, relationships and ledgers, brand health,
 * replay into an empty store, readers during writes, and refusing a schema it does not know.
 */
public abstract class StoreContract {
    protected static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    private final List<Store> opened = new ArrayList<>();

    /**
     * Stores under contract keep the log's sorted indexes in runs of 3 entries, so every test
     * below also moves the recent table into runs and merges runs (issue 18); after each test the
     * indexes are checked against the log itself ({@code SortedRunsCheck}). On SQLite the
     * relationship states are written into their table at 7 waiting pairs, so every test also
     * reads through states waiting in memory and through snapshots (schema v12).
     */
    protected static final fusion.store.sql.StoreSettings SMALL_RUNS =
            fusion.store.sql.StoreSettings.defaults().withIndexRun(3).withRelationshipSnapshot(7);

    /** A new, empty store. */
    protected abstract Store create();

    /** Reopens the store last created (same database), as a restarted server would. */
    protected abstract Store reopen();

    /** Sets the stored schema version behind the store's back. */
    protected abstract void forceSchemaVersion(int version) throws Exception;

    /** A plain connection to the database of the store last created, behind the store's back. */
    protected abstract java.sql.Connection database() throws Exception;

    /** Migrates the database of the store last created to this build's schema and reopens it. */
    protected abstract Store migrateAndReopen();

    protected Store fresh() {
        Store s = create();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() throws Exception {
        opened.forEach(Store::close);
        if (opened.isEmpty()) return;
        try (java.sql.Connection c = database()) {
            fusion.store.sql.SortedRunsCheck.assertIndexesMatchTheLog(c);
        }
    }

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 18: a party's relationships carry each pair's newest ledger entries, the "
            + "same as the pair's own ledger read, at every limit, with the brand's competitor flag")
    void relationshipsCarryEachPairsNewestLedgerEntries() {
        Store s = fresh();
        String[] brands = {"glitter", "brewline", "rivalwear", "beanhouse"};
        String[] events = {"Order Completed", "Ticket Resolved", "Product Viewed", "Ticket Reopened"};
        java.util.Random r = new java.util.Random(18);
        List<SegmentCall> calls = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            String brand = brands[r.nextInt(brands.length)];
            Map<String, Object> p = props("brand", brand, "revenue", r.nextInt(100), "wow", r.nextInt(4) == 0);
            if (brand.equals("rivalwear")) p.put("competitor", true);
            calls.add(track("m" + i, "p" + r.nextInt(3), null, events[r.nextInt(events.length)], T0.plusSeconds(i), p));
        }
        for (int from = 0; from < calls.size(); from += 25) {
            s.ingest(calls.subList(from, Math.min(calls.size(), from + 25))); // runs of 3 move and merge meanwhile
        }
        Instant at = T0.plusSeconds(300);
        for (String person : new String[] {"p0", "p1", "p2"}) {
            String id = s.profile(person).orElseThrow().id();
            for (int limit : new int[] {0, 1, 3, 7, 1_000}) {
                List<RelationshipView> rels = s.relationships(id, at, limit);
                assertThat(rels).as("%s's relationships", person).hasSizeGreaterThanOrEqualTo(3);
                List<RelationshipView> ordered = new ArrayList<>(rels);
                ordered.sort(java.util.Comparator.comparingLong(RelationshipView::events)
                        .reversed()
                        .thenComparing(RelationshipView::brand));
                assertThat(rels).as("most events first, then by brand").isEqualTo(ordered);
                for (RelationshipView rel : rels) {
                    assertThat(rel.competitor())
                            .as("%s's competitor flag", rel.brand())
                            .isEqualTo(rel.brand().equals("rivalwear"));
                    if (rel.events() == 0) {
                        assertThat(rel.ledger())
                                .as("association only: %s", rel.brand())
                                .isEmpty();
                        continue;
                    }
                    List<LedgerView> own = s.ledger(id, rel.brand(), Integer.MAX_VALUE);
                    assertThat(own)
                            .as("%s's ledger with %s", person, rel.brand())
                            .isNotEmpty();
                    assertThat(rel.ledger())
                            .extracting(LedgerView::seq)
                            .as("newest first")
                            .isSortedAccordingTo(java.util.Comparator.reverseOrder());
                    assertThat(rel.ledger())
                            .as("%s, %s, limit %d", person, rel.brand(), limit)
                            .isEqualTo(own.subList(0, Math.min(limit, own.size())));
                }
            }
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 12 item 13: acts due before Instant.MAX (or one second before it) are every "
                    + "act in that status, not a long overflow")
    void dueUntilTheEndOfTimeListsEveryActInTheStatus() {
        Store s = fresh();
        s.ingest(List.of(track("m1", "ana", null, "Order Completed", T0, props("brand", "glitter"))));
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        DecisionRecords d = s.decisions();
        // two queued acts, one due now and one in 100 years, and a scheduled one: hand-picked
        for (String[] a : new String[][] {
            {"d-now", "queued", "0"}, {"d-later", "queued", "3155760000"}, {"d-scheduled", "scheduled", "0"}
        }) {
            assertThat(d.record(new DecisionRecords.DecisionRecord(
                            a[0],
                            "ana",
                            "glitter",
                            now,
                            "plan-b-replacement",
                            "plan_b",
                            "messaging",
                            "service",
                            now.plusSeconds(Long.parseLong(a[2])),
                            DecisionRecords.Outcome.ACT,
                            DecisionRecords.Status.of(a[1]),
                            "[]")))
                    .isTrue();
        }
        assertThat(d.due(DecisionRecords.Status.QUEUED, Instant.MAX).stream().map(DecisionRecords.DecisionRecord::id))
                .containsExactly("d-now", "d-later");
        assertThat(d.due(DecisionRecords.Status.QUEUED, Instant.MAX.minusSeconds(1)).stream()
                        .map(DecisionRecords.DecisionRecord::id))
                .containsExactly("d-now", "d-later");
        assertThat(d.due(DecisionRecords.Status.QUEUED, now).stream().map(DecisionRecords.DecisionRecord::id))
                .containsExactly("d-now");
        assertThat(d.due(DecisionRecords.Status.QUEUED, Instant.MIN)).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 16 item 2: an action's decisions are its acts and the nothings of people held out of it, oldest"
                    + " first, and no other action's or plain nothing")
    void anActionsDecisionsAreItsActsAndItsHoldouts() {
        Store s = fresh();
        s.ingest(List.of(track("m1", "ana", null, "Order Completed", T0, props("brand", "glitter"))));
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        DecisionRecords d = s.decisions();
        // id, seconds after t, action (null: a plain nothing), act?
        for (String[] a : new String[][] {
            {"late-act", "60", "plan-b", "act"},
            {"held", "30", "plan-b", "nothing"},
            {"other", "10", "renew", "act"},
            {"plain", "20", null, "nothing"}
        }) {
            boolean act = a[3].equals("act");
            d.record(new DecisionRecords.DecisionRecord(
                    a[0],
                    "ana",
                    "glitter",
                    t.plusSeconds(Long.parseLong(a[1])),
                    a[2],
                    act ? "plan_b" : null,
                    act ? "email" : null,
                    act ? "service" : null,
                    act ? t : null,
                    act ? DecisionRecords.Outcome.ACT : DecisionRecords.Outcome.NOTHING,
                    act ? DecisionRecords.Status.RECORDED : DecisionRecords.Status.NONE,
                    "[]"));
        }
        assertThat(d.decisionsForAction("plan-b").stream().map(DecisionRecords.DecisionRecord::id))
                .containsExactly("held", "late-act");
        assertThat(d.decisionsForAction("none")).isEmpty();
    }

    @Test
    void aBatchIsReadBackAsProfilesRelationshipsLedgerAndTimeline() {
        Store s = fresh();
        IngestResult r = s.ingest(List.of(
                identify("m1", "ana", "d-1", T0, Map.of("name", "Ana")),
                track(
                        "m2",
                        "ana",
                        null,
                        "Order Completed",
                        T0.plusSeconds(60),
                        props("brand", "glitter", "revenue", 120)),
                track(
                        "m3",
                        null,
                        "d-1",
                        "Ticket Resolved",
                        T0.plusSeconds(120),
                        props("brand", "glitter", "wow", true)),
                track("m4", "ana", null, "Wishlist Synced", T0.plusSeconds(180), Map.of())));
        assertThat(r).isEqualTo(new IngestResult(4, 0, 2, 1));

        ProfileView p = s.profile("d-1").orElseThrow();
        assertThat(p.id()).isEqualTo("ana");
        assertThat(p.identities()).containsExactlyInAnyOrder("user:ana", "anon:d-1");
        assertThat(p.traits()).containsEntry("name", "Ana");
        assertThat(p.events()).isEqualTo(4);

        List<RelationshipView> rels = s.relationships("ana", T0.plusSeconds(200), 10);
        assertThat(rels).singleElement().satisfies(rel -> {
            assertThat(rel.brand()).isEqualTo("glitter");
            assertThat(rel.events()).isEqualTo(2);
            assertThat(rel.money()).isEqualTo(120.0);
            assertThat(rel.fusion()).isGreaterThan(50);
            assertThat(rel.ledger()).hasSize(2);
            assertThat(rel.ledger().get(0).cause()).contains("wow moment");
        });
        assertThat(s.ledger("ana", "glitter", 10)).hasSize(2);
        assertThat(s.timeline("ana", 10)).extracting(TimelineItem::messageId).containsExactly("m4", "m3", "m2", "m1");
        assertThat(s.stats().unknownEvents()).containsEntry("Wishlist Synced", 1L);
        assertThat(s.searchProfiles("An", 10)).extracting(ProfileSummary::id).containsExactly("ana");
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 18: traits merged several times in one batch and again in the next keep every trait, the"
                    + " latest value winning, also through a merge of two profiles in the same batch")
    void traitsMergedWithinABatchAndAcrossBatchesKeepTheLatestValues() {
        Store s = fresh();
        s.ingest(List.of(
                identify("t1", "ana", null, T0, props("name", "Ana", "plan", "gold")),
                identify("t2", "ana", null, T0.plusSeconds(1), props("plan", "silver", "city", "Oslo")),
                identify("t3", null, "d-9", T0.plusSeconds(2), props("color", "red", "plan", "free")),
                // links d-9 to ana: d-9's profile is absorbed; ana's own traits win over d-9's
                identify("t4", "ana", "d-9", T0.plusSeconds(3), props("size", "M"))));
        assertThat(s.profile("ana").orElseThrow().traits())
                .containsExactlyInAnyOrderEntriesOf(
                        props("name", "Ana", "plan", "silver", "city", "Oslo", "color", "red", "size", "M"));
        s.ingest(List.of(identify("t5", "ana", null, T0.plusSeconds(4), props("city", "Bergen"))));
        assertThat(s.profile("d-9").orElseThrow().traits())
                .containsExactlyInAnyOrderEntriesOf(
                        props("name", "Ana", "plan", "silver", "city", "Bergen", "color", "red", "size", "M"));
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 18: one batch merging traits into 450 profiles (more than one read of stored traits) gives"
                    + " each profile its own")
    void traitsOfManyProfilesInOneBatchReachEachProfile() {
        Store s = fresh();
        List<SegmentCall> calls = new ArrayList<>();
        for (int i = 0; i < 450; i++) calls.add(identify("n" + i, "p" + i, null, T0, props("n", "v" + i)));
        s.ingest(calls);
        calls.clear();
        for (int i = 0; i < 450; i++) calls.add(identify("m" + i, "p" + i, null, T0, props("m", "w" + i)));
        s.ingest(calls);
        for (int i : new int[] {0, 199, 200, 399, 400, 449}) {
            assertThat(s.profile("p" + i).orElseThrow().traits())
                    .as("profile p%d", i)
                    .containsExactlyInAnyOrderEntriesOf(props("n", "v" + i, "m", "w" + i));
        }
    }

    @Test
    void aMessageIdIsAppliedOnceAcrossBatchesAndWithinOne() {
        Store s = fresh();
        SegmentCall once = track("dup", "ana", null, "Order Completed", T0, props("revenue", 10));
        assertThat(s.ingest(List.of(once, once)).duplicates()).isEqualTo(1);
        StateDigest before = s.digest();
        assertThat(s.ingest(List.of(once))).isEqualTo(new IngestResult(0, 1, 0, 0));
        assertThat(s.digest()).isEqualTo(before);
    }

    @Test
    void aBatchWithABadCallStoresNothingAndTheNextBatchCarriesOn() {
        Store s = fresh();
        s.ingest(List.of(track("ok-1", "ana", null, "Order Completed", T0, props("revenue", 10))));
        StateDigest before = s.digest();
        assertThatThrownBy(() -> s.ingest(List.of(
                        track("ok-2", "bea", null, "Order Completed", T0, props("revenue", 10)),
                        track("bad", "bea", null, "Order Completed", T0, props("revenue", "ten")))))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("batch[1].properties.revenue");
        assertThat(s.digest()).isEqualTo(before);
        assertThat(s.profile("bea")).isEmpty();

        s.ingest(List.of(track("ok-2", "bea", null, "Order Completed", T0, props("revenue", 10))));
        assertThat(s.timeline("bea", 5))
                .singleElement()
                .extracting(TimelineItem::seq)
                .isEqualTo(2L);
    }

    @Test
    void concurrentBatchesShareCommitsButABadBatchIsRejectedAlone() throws Exception {
        Store s = fresh();
        java.util.concurrent.atomic.AtomicLong told = new java.util.concurrent.atomic.AtomicLong();
        s.listen(new Store.Listener() {
            @Override
            public void committed(List<fusion.core.model.Interaction> interactions, boolean merged) {
                told.addAndGet(interactions.size());
            }

            @Override
            public void rebuilt() {}
        });
        List<SegmentCall> traffic = Calls.random(11, 3_000);
        int batches = traffic.size() / 50;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong scored = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong rejected = new java.util.concurrent.atomic.AtomicLong();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                int batch = b;
                done.add(pool.submit(() -> {
                    List<SegmentCall> calls = new ArrayList<>(traffic.subList(batch * 50, batch * 50 + 50));
                    if (batch % 7 == 3) {
                        calls.add(
                                10, track("bad-" + batch, "bea", null, "Order Completed", T0, props("revenue", "ten")));
                        assertThatThrownBy(() -> s.ingest(calls))
                                .isInstanceOf(InvalidInput.class)
                                .hasMessageStartingWith("batch[10].properties.revenue");
                        rejected.incrementAndGet();
                        return;
                    }
                    IngestResult r = s.ingest(calls);
                    accepted.addAndGet(r.accepted());
                    scored.addAndGet(r.scored());
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(rejected.get()).isEqualTo(batches / 7 + (batches % 7 > 3 ? 1 : 0));
        assertThat(s.stats().events())
                .as("every accepted call and nothing of a rejected batch")
                .isEqualTo(accepted.get());
        assertThat(s.profile("bea")).isEmpty();
        assertThat(told.get()).as("listeners hear of committed batches only").isEqualTo(scored.get());
        Store empty = fresh();
        Replay.Report report = Replay.run(s, empty, new PrintStream(new ByteArrayOutputStream()));
        assertThat(report.differences()).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 18: a profile read by any of its ids has the identities and merges the "
            + "tables hold, in their order, ids with quotes, backslashes, control and non-BMP characters intact")
    void aProfileReadsItsIdentitiesAndMergesAsTheTablesHoldThem() throws Exception {
        Store s = fresh();
        String user = "an\"a\\x\u0001\u00e9\ud834\udd1e";
        String cookie = "c\"ookie\t1";
        String device = "dev\\ice";
        s.ingest(List.of(
                track("e1", null, cookie, "Order Completed", T0, props("brand", "glitter", "revenue", 50)),
                track("e2", null, device, "Product Viewed", T0.plusSeconds(5), props("brand", "brewline")),
                track("e3", user, null, "Order Completed", T0.plusSeconds(10), props("brand", "glitter"))));
        s.ingest(List.of(identify("e4", user, cookie, T0.plusSeconds(20), Map.of("name", "A \"Q\""))));
        s.ingest(List.of(identify("e5", user, device, T0.plusSeconds(30), Map.of())));
        String id = s.profile(user).orElseThrow().id();
        List<String> identities = new ArrayList<>();
        List<String> merges = new ArrayList<>();
        try (java.sql.Connection c = database();
                java.sql.PreparedStatement i = c.prepareStatement(
                        "SELECT identity FROM identities WHERE profile = ? ORDER BY first_seq, identity");
                java.sql.PreparedStatement m = c.prepareStatement(
                        "SELECT absorbed, merged, reason, at, event_seq FROM merges WHERE survivor = ? ORDER BY event_seq")) {
            i.setString(1, id);
            try (java.sql.ResultSet rs = i.executeQuery()) {
                while (rs.next()) identities.add(rs.getString(1));
            }
            m.setString(1, id);
            try (java.sql.ResultSet rs = m.executeQuery()) {
                while (rs.next()) {
                    merges.add(rs.getString(1) + "|" + (rs.getInt(2) == 1) + "|" + rs.getString(3) + "|"
                            + Instant.ofEpochMilli(rs.getLong(4)) + "|" + rs.getLong(5));
                }
            }
        }
        assertThat(identities).contains("user:" + user, "anon:" + cookie, "anon:" + device);
        assertThat(merges).hasSize(2);
        for (String by : new String[] {user, cookie, device, id}) {
            ProfileView p = s.profile(by).orElseThrow();
            assertThat(p.id()).as("found by %s", by).isEqualTo(id);
            assertThat(p.identities()).as("identities found by %s", by).isEqualTo(identities);
            assertThat(p.merges().stream()
                            .map(x -> x.absorbed() + "|" + x.merged() + "|" + x.reason() + "|" + x.at() + "|"
                                    + x.eventSeq())
                            .toList())
                    .as("merges found by %s", by)
                    .isEqualTo(merges);
            assertThat(p.traits()).containsEntry("name", "A \"Q\"");
            assertThat(p.events()).as("five calls, each counted").isEqualTo(5);
        }
        assertThat(s.profile("nobody\"")).isEmpty();
    }

    @Test
    void profilesMergeAndEveryOneOfTheirIdsFindsTheSurvivor() {
        Store s = fresh();
        s.ingest(List.of(
                track("e1", null, "cookie", "Order Completed", T0, props("brand", "glitter", "revenue", 50)),
                track(
                        "e2",
                        "ana",
                        null,
                        "Order Completed",
                        T0.plusSeconds(10),
                        props("brand", "glitter", "revenue", 70))));
        s.ingest(List.of(identify("e3", "ana", "cookie", T0.plusSeconds(20), Map.of())));

        ProfileView p = s.profile("cookie").orElseThrow();
        assertThat(p.id()).isEqualTo("ana");
        assertThat(p.merges()).singleElement().satisfies(m -> {
            assertThat(m.absorbed()).isEqualTo("cookie");
            assertThat(m.reason()).contains("seen with userId ana");
        });
        assertThat(s.relationships("ana", T0.plusSeconds(30), 5))
                .singleElement()
                .satisfies(r -> assertThat(r.money()).isEqualTo(120.0));
        assertThat(s.timeline("ana", 10)).hasSize(3);
        assertThat(s.ledger("ana", "glitter", 10)).extracting(LedgerView::kind).contains("merge");
    }

    @Test
    void replayingTheLogIntoAnEmptyStoreRebuildsEveryTableExactly() {
        Store live = fresh();
        List<SegmentCall> traffic = Calls.random(3, 1_500);
        for (int i = 0; i < traffic.size(); i += 100) live.ingest(traffic.subList(i, i + 100));
        Store empty = fresh();
        Replay.Report report = Replay.run(live, empty, new PrintStream(new ByteArrayOutputStream()));
        assertThat(report.events()).isEqualTo(1_500);
        assertThat(report.live().rows().get("ledger")).isGreaterThan(1_000);
        assertThat(report.differences()).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("issue 13: the log read from a position gives exactly the calls after it, and a "
            + "store holding the state up to that position catches up to the live state from there")
    void theLogReadFromAPositionCatchesAStoreUp() {
        Store live = fresh();
        List<SegmentCall> traffic = Calls.random(5, 1_000);
        for (int i = 0; i < traffic.size(); i += 100) live.ingest(traffic.subList(i, i + 100));
        List<String> after = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        live.forEachEvent(600, (seq, call) -> {
            after.add(call.messageId());
            positions.add(seq);
        });
        // the log numbers the 1,000 distinct calls 1..1000 in the order they were sent
        assertThat(after)
                .containsExactlyElementsOf(traffic.subList(600, 1_000).stream()
                        .map(SegmentCall::messageId)
                        .toList());
        assertThat(positions.get(0)).isEqualTo(601L);
        assertThat(positions.get(positions.size() - 1)).isEqualTo(1_000L);

        Store behind = fresh();
        for (int i = 0; i < 600; i += 100) behind.ingest(traffic.subList(i, i + 100));
        long copied = Replay.copy(live, 600, 400, behind, new PrintStream(new ByteArrayOutputStream()));
        assertThat(copied).isEqualTo(400);
        assertThat(live.digest().differences(behind.digest())).isEmpty();
    }

    @Test
    void readersSeeConsistentStateWhileBatchesAreWritten() throws Exception {
        Store s = fresh();
        List<SegmentCall> traffic = Calls.random(5, 2_000);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Long> reader = pool.submit(() -> {
                long reads = 0, lastEvents = 0;
                while (writing.get()) {
                    StoreStats stats = s.stats();
                    assertThat(stats.events()).isGreaterThanOrEqualTo(lastEvents);
                    assertThat(stats.events() % 100)
                            .as("a batch is visible whole or not at all")
                            .isZero();
                    lastEvents = stats.events();
                    s.brands(T0.plus(Duration.ofDays(61)));
                    s.profile("u1");
                    reads++;
                }
                return reads;
            });
            for (int i = 0; i < traffic.size(); i += 100) s.ingest(traffic.subList(i, i + 100));
            writing.set(false);
            assertThat(reader.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.stats().events()).isEqualTo(2_000);
    }

    @Test
    void brandHealthIsTheValueWeightedMeanNowAndPerDay() {
        Store s = fresh();
        Instant day = T0;
        for (int i = 0; i < 10; i++) {
            s.ingest(List.of(track(
                    "b" + i,
                    "c" + i,
                    null,
                    "Order Completed",
                    day.plus(Duration.ofDays(i)),
                    props("brand", "glitter", "revenue", 40 + i))));
        }
        Instant at = T0.plus(Duration.ofDays(10));
        BrandSummary g = s.brands(at).stream()
                .filter(b -> b.id().equals("glitter"))
                .findFirst()
                .orElseThrow();
        assertThat(g.consumers()).isEqualTo(10);
        assertThat(g.money()).isEqualTo(445.0);
        assertThat(g.fusion()).isGreaterThan(50);
        BrandView v = s.brand("glitter", at, 14).orElseThrow();
        assertThat(v.series()).hasSize(14);
        assertThat(v.series().stream().mapToLong(BrandView.Point::events).sum()).isEqualTo(10);
        assertThat(v.series().get(13).fusion()).isCloseTo(g.fusion(), org.assertj.core.api.Assertions.within(1.0));
        assertThat(v.series().get(0).fusion()).isEqualTo(50.0);
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 18 schema v15: a brand's series, read pair by pair, equals one pass over the brand's whole ledger"
                    + " in time order (the method before v15), to the bit, in every window and for an audience")
    void aBrandSeriesReadPairByPairEqualsOnePassOverItsLedger() throws Exception {
        Store s = fresh();
        for (List<SegmentCall> batch : Calls.forBrandSeries(23)) s.ingest(batch);
        try (java.sql.Connection c = database()) {
            assertThat(seriesAgainstOnePass(s, c)).isGreaterThanOrEqualTo(3 * 3 * 3);
        }
    }

    /**
     * Every brand's series in windows before, across and after the traffic, for everyone and for
     * half the people, against {@link fusion.store.sql.BrandSeriesOracle} over {@code c}'s ledger
     * table; returns how many (brand, window) were compared.
     */
    public static int seriesAgainstOnePass(Store s, java.sql.Connection c) throws Exception {
        Engine engine = new Engine(ModelConfig.defaults());
        List<String> people = s.searchProfiles("", 10_000).stream()
                .map(ProfileSummary::id)
                .sorted()
                .toList();
        java.util.Set<String> half = new java.util.HashSet<>();
        for (int i = 0; i < people.size(); i += 2) half.add(people.get(i));
        int compared = 0;
        for (Instant at :
                List.of(T0.plus(Duration.ofDays(70)), T0.plus(Duration.ofDays(6)), T0.minus(Duration.ofDays(1)))) {
            for (int days : new int[] {1, 5, 70}) {
                for (BrandSummary b : s.brands(T0.plus(Duration.ofDays(70)))) {
                    assertThat(s.brand(b.id(), at, days).orElseThrow().series())
                            .as(b.id() + " at " + at + ", " + days + " days")
                            .isEqualTo(
                                    fusion.store.sql.BrandSeriesOracle.series(c, engine, b.id(), at, days, p -> true));
                    assertThat(s.brand(b.id(), at, days, half).orElseThrow().series())
                            .as(b.id() + " at " + at + ", " + days + " days, half the people")
                            .isEqualTo(fusion.store.sql.BrandSeriesOracle.series(
                                    c, engine, b.id(), at, days, half::contains));
                    compared++;
                }
            }
        }
        BrandView glitter = s.brand("glitter", T0.plus(Duration.ofDays(70)), 70).orElseThrow();
        assertThat(glitter.series().stream().mapToDouble(BrandView.Point::money).filter(m -> m != Math.rint(m)))
                .as("days whose money has cents: the order of the terms matters")
                .isNotEmpty();
        return compared;
    }

    @Test
    void aStoreWithANewerSchemaIsRefused() throws Exception {
        fresh().close();
        opened.clear();
        forceSchemaVersion(99);
        assertThatThrownBy(this::reopen)
                .hasMessageContaining("schema is version 99")
                .hasMessageContaining("upgrade");
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 18 the ledger: a ledger in the text form of versions 1-7, converted by migration 8, reads back as"
                    + " it was written: same digest, same entries and causes, same brand series")
    void aTextLedgerConvertedByMigration8ReadsBackIdentically() throws Exception {
        Store s = fresh();
        // merges, incidents that spread, late events; short enough that not everyone has merged into one
        List<SegmentCall> traffic = Calls.random(18, 400);
        for (int i = 0; i < traffic.size(); i += 100) s.ingest(traffic.subList(i, i + 100));
        Instant at = T0.plus(Duration.ofDays(70));
        StateDigest digest = s.digest();
        List<Object> answers = ledgerAnswers(s, at);
        assertThat(answers.toString()).contains("kind=merge").contains("kind=propagated");
        assertThat(digest.rows().get("profiles")).isGreaterThan(5);
        s.close();
        opened.clear();
        int rows;
        try (java.sql.Connection c = database()) {
            rows = fusion.store.sql.LedgerDowngrade.toTextForm(c);
        }
        assertThat((long) rows).isEqualTo(digest.rows().get("ledger"));
        forceSchemaVersion(7);
        Store again = migrateAndReopen();
        opened.add(again);
        assertThat(again.digest()).isEqualTo(digest);
        assertThat(ledgerAnswers(again, at)).isEqualTo(answers);
    }

    /** Every pair's whole ledger and every brand's 70-day series, as the API reads them. */
    private static List<Object> ledgerAnswers(Store s, Instant at) {
        List<Object> out = new ArrayList<>();
        for (ProfileSummary p : s.searchProfiles("", 10_000)) {
            for (RelationshipView r : s.relationships(p.id(), at, 0)) {
                out.add(s.ledger(p.id(), r.brand(), Integer.MAX_VALUE));
            }
        }
        for (BrandSummary b : s.brands(at)) out.add(s.brand(b.id(), at, 70).orElseThrow());
        return out;
    }

    @Test
    void aReopenedStoreContinuesWhereItStopped() {
        Store s = fresh();
        s.ingest(List.of(track("x1", "ana", null, "Order Completed", T0, props("revenue", 10))));
        s.close();
        opened.clear();
        Store again = reopen();
        opened.add(again);
        again.ingest(List.of(
                track("x1", "ana", null, "Order Completed", T0, props("revenue", 10)),
                track("x2", "ana", null, "Order Completed", T0.plusSeconds(5), props("revenue", 10))));
        assertThat(again.timeline("ana", 5)).extracting(TimelineItem::seq).containsExactly(2L, 1L);
        assertThat(again.relationships("ana", T0.plusSeconds(10), 5).get(0).events())
                .isEqualTo(2);
    }

    @Test
    void consentCarriedByCallsIsRecordedInOrderAndFollowsAMerge() {
        Store s = fresh();
        Map<String, Object> context = Map.of(
                "consent",
                Map.of(
                        "categoryPreferences",
                        Map.of("Advertising", true, "Analytics", true, "Functional", false, "NotAPurpose", true)));
        s.ingest(List.of(
                new SegmentCall(
                        SegmentCall.Type.IDENTIFY,
                        "c1",
                        null,
                        "dev-9",
                        null,
                        null,
                        null,
                        null,
                        Map.of(),
                        Map.of(),
                        context,
                        T0,
                        T0),
                track(
                        "c2",
                        null,
                        "dev-9",
                        "Consent Granted",
                        T0.plusSeconds(10),
                        props(
                                "purpose",
                                "marketing",
                                "channel",
                                "email",
                                "ttlDays",
                                30,
                                "source",
                                "preference centre")),
                track("c3", "zoe", "dev-9", "Consent Revoked", T0.plusSeconds(20), props("purpose", "sharing"))));
        var ledger = s.consents(s.profile("dev-9").orElseThrow().id());
        assertThat(ledger)
                .extracting(c -> c.purpose().label() + "/" + c.channel() + "/" + c.granted())
                .containsExactly(
                        "marketing//true",
                        "analytics//true",
                        "personalisation//false",
                        "marketing/email/true",
                        "sharing//false");
        assertThat(ledger.get(3).expires()).isEqualTo(T0.plusSeconds(10).plus(Duration.ofDays(30)));
        assertThat(ledger.get(3).source()).isEqualTo("preference centre");

        s.ingest(List.of(
                track("c4", "kim", null, "Consent Granted", T0.plusSeconds(30), props("purpose", "sharing")),
                Calls.alias("c5", "kim", "zoe", T0.plusSeconds(40))));
        String zoe = s.profile("zoe").orElseThrow().id();
        assertThat(s.profile("kim").orElseThrow().id()).isEqualTo(zoe);
        assertThat(s.consents(zoe))
                .extracting(c -> c.purpose().label() + "/" + c.granted())
                .endsWith("sharing/false", "sharing/true");
    }

    @Test
    void aBadConsentEventIsRefusedNamingTheField() {
        Store s = fresh();
        assertThatThrownBy(() -> s.ingest(
                        List.of(track("x1", "zoe", null, "Consent Granted", T0, props("purpose", "telepathy")))))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("batch[0].properties.purpose");
        assertThatThrownBy(() -> s.ingest(List.of(track(
                        "x2",
                        "zoe",
                        null,
                        "Consent Granted",
                        T0,
                        props("purpose", "marketing", "expiresAt", "tomorrow")))))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("properties.expiresAt");
        assertThat(s.stats().events()).isZero();
    }

    @Test
    void erasingAPersonLeavesExactlyWhatAReplayOfTheLogWithoutThemBuilds() {
        Store live = fresh();
        List<SegmentCall> calls = Calls.random(77, 1_500);
        for (int i = 0; i < calls.size(); i += 250) live.ingest(calls.subList(i, Math.min(calls.size(), i + 250)));
        String victim = live.profile("u7").orElseThrow().id();
        List<String> theirs = new ArrayList<>();
        live.forEachEventOf(victim, (seq, call) -> theirs.add(call.messageId()));
        assertThat(theirs).isNotEmpty();

        Erasure e = live.erase(victim, "token:test", new PrintStream(new ByteArrayOutputStream()));

        assertThat(e.events()).isEqualTo(theirs.size());
        assertThat(live.profile("u7")).isEmpty();
        assertThat(live.erasures()).extracting(Erasure::actor).containsExactly("token:test");
        List<SegmentCall> rest =
                calls.stream().filter(c -> !theirs.contains(c.messageId())).toList();
        Store expected = fresh();
        for (int i = 0; i < rest.size(); i += 250) expected.ingest(rest.subList(i, Math.min(rest.size(), i + 250)));
        assertThat(live.digest().differences(expected.digest())).isEmpty();

        // a replay of the log after the erasure does not bring them back
        Store replayed = fresh();
        Replay.Report report = Replay.run(live, replayed, new PrintStream(new ByteArrayOutputStream()));
        assertThat(report.identical()).isTrue();
        assertThat(replayed.profile("u7")).isEmpty();

        // nor does a source re-sending their events
        IngestResult again = live.ingest(
                calls.stream().filter(c -> theirs.contains(c.messageId())).toList());
        assertThat(again.accepted()).isZero();
        assertThat(again.duplicates()).isEqualTo(theirs.size());
        assertThat(live.profile("u7")).isEmpty();
        // and the store keeps taking new events
        assertThat(live.ingest(List.of(track("after-1", "u7", null, "Order Completed", T0, props("brand", "glitter"))))
                        .accepted())
                .isEqualTo(1);
    }

    private static Access.AuditEntry read(String subject) {
        return new Access.AuditEntry(0, T0, "token:dash", "analyst", "read profile", subject, 200);
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 18: an audit entry becomes durable while the ingest writer holds the store (a group commit "
                    + "under way), so a read of a person does not wait for ingest")
    void anAuditEntryDoesNotWaitForTheIngestWriter() throws Exception {
        Store s = fresh();
        s.ingest(List.of(track("m1", "ana", null, "Order Completed", T0, props("brand", "glitter"))));
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // the ingest writer commits each group holding the store's monitor: hold it as a long group would
        Thread writer = new Thread(() -> {
            synchronized (s) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        writer.start();
        try {
            assertThat(held.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            var appended = java.util.concurrent.CompletableFuture.runAsync(
                    () -> s.access().appendAudit(List.of(read("ana"))));
            appended.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(s.access().audit(null, "ana", null, null, 10))
                    .extracting(Access.AuditEntry::action)
                    .containsExactly("read profile");
        } finally {
            release.countDown();
            writer.join();
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 18: audit entries naming a person, appended while the person is erased, never keep their id, "
                    + "and the audit log stays readable after a restart")
    void auditEntriesRacingAnErasureNeverKeepTheErasedId() throws Exception {
        Store s = fresh();
        List<SegmentCall> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String user = i % 2 == 0 ? "ana" : "bea";
            calls.add(track("race-" + i, user, null, "Order Completed", T0.plusSeconds(i), props("brand", "glitter")));
        }
        s.ingest(calls);
        String ana = s.profile("ana").orElseThrow().id();
        AtomicBoolean erased = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> appends = pool.submit(() -> {
                int n = 0;
                // keep appending until well after the erasure is done
                for (int after = 0; after < 20; n++) {
                    s.access().appendAudit(List.of(read("ana"), read(ana), read("bea")));
                    if (erased.get()) after++;
                }
                return n;
            });
            while (s.access().audit(null, "ana", null, null, 1).isEmpty()) Thread.onSpinWait();
            s.erase(ana, "token:admin", new PrintStream(new ByteArrayOutputStream()));
            erased.set(true);
            assertThat(appends.get(60, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
        } finally {
            pool.shutdownNow();
        }
        for (Store now : List.of(s, reopenAfterClosing(s))) {
            List<Access.AuditEntry> all = now.access().audit(null, null, null, null, 100_000);
            assertThat(all).extracting(Access.AuditEntry::subject).doesNotContain("ana", ana);
            assertThat(all).extracting(Access.AuditEntry::subject).contains("bea");
            assertThat(all.stream()
                            .filter(e -> e.subject().startsWith("erased"))
                            .count())
                    .isPositive();
        }
    }

    private Store reopenAfterClosing(Store s) {
        s.close();
        opened.remove(s);
        Store again = reopen();
        opened.add(again);
        return again;
    }

    @Test
    void declaredBrandActionsAreKeptPerBrandInStartOrderAndSurviveARestart() {
        Store s = fresh();
        java.time.Instant now = java.time.Instant.parse("2026-11-24T10:00:00Z");
        BrandAction late = s.declareAction(new BrandAction(
                0,
                "glitter",
                "Winter gala",
                BrandAction.Kind.CONCERT,
                now.plusSeconds(86_400),
                null,
                now,
                "otto",
                "at the opera"));
        BrandAction early = s.declareAction(new BrandAction(
                0,
                "glitter",
                "Autumn sale",
                BrandAction.Kind.PROMOTION,
                now.minusSeconds(86_400),
                now,
                now,
                "otto",
                null));
        s.declareAction(new BrandAction(0, "other", "Launch", BrandAction.Kind.CAMPAIGN, now, null, now, "otto", ""));
        assertThat(late.id()).isPositive();
        assertThat(early.id()).isNotEqualTo(late.id());
        assertThat(s.actions("glitter")).containsExactly(early, late);
        assertThat(s.action("glitter", late.id())).contains(late);
        assertThat(s.action("other", late.id())).isEmpty();
        assertThat(s.actions("nobody")).isEmpty();
        s.close();
        opened.clear();
        Store again = reopen();
        opened.add(again);
        assertThat(again.actions("glitter")).containsExactly(early, late);
    }
}
