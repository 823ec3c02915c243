package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Contribution;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18: the ring of the ledger's newest rows ({@link LedgerRing}). The oracle is the entry
 * each seq was given, a function of the seq alone (its party, its note's length, its doubles), so
 * a row the ring returns is either exactly that entry or a bug; and which rows it must still hold
 * follows from the bytes appended after them, worked out here from the rows' encoded lengths.
 */
class LedgerRingTest {
    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear"};

    /** The entry ledger row {@code seq} holds: its owner and size vary with the seq, and one in seven has -0.0. */
    static LedgerEntry entryOf(long seq) {
        Random r = new Random(seq * 31 + 7);
        List<Contribution> cs = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) {
            cs.add(new Contribution(
                    "rule" + i, Target.values()[r.nextInt(Target.values().length)], r.nextGaussian(), "d" + seq));
        }
        double zero = seq % 7 == 0 ? -0.0 : r.nextDouble();
        return new LedgerEntry(
                "p" + (seq % 13),
                BRANDS[(int) (seq % BRANDS.length)],
                Instant.ofEpochMilli(1_700_000_000_000L + seq * 1_000),
                "e" + seq,
                LedgerEntry.Kind.values()[(int) (seq % 3)],
                zero,
                r.nextDouble() * 100,
                -r.nextDouble(),
                r.nextDouble() * 1e6,
                r.nextDouble(),
                cs,
                "n".repeat(r.nextInt(120)));
    }

    static byte[] rowOf(long seq) {
        LedgerEntry e = entryOf(seq);
        return LedgerCodec.row(seq, e, e.time().toEpochMilli(), LedgerCodec.contributions(e.contributions()));
    }

    /** The entry as the ledger table gives it back: -0.0 reads as 0.0 (a REAL with no fraction is stored as an integer). */
    static LedgerEntry asTableGives(long seq) {
        LedgerEntry e = entryOf(seq);
        return new LedgerEntry(
                e.party(),
                e.brand(),
                e.time(),
                e.eventId(),
                e.kind(),
                e.experienceBefore() == 0 ? 0.0 : e.experienceBefore(),
                e.experienceAfter(),
                e.fusionBefore(),
                e.fusionAfter(),
                e.faded(),
                e.contributions(),
                e.note());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    @DisplayName("issue 18: the ring gives a published row exactly as written while the bytes after it fit, and nothing"
            + " wrong ever")
    void givesTheNewestRowsExactlyAndNothingElse(long seed) {
        Random r = new Random(seed);
        int bytes = 1 << (12 + r.nextInt(4)); // 4 to 32 KiB: a few dozen to a few hundred rows, wrapping often
        LedgerRing ring = new LedgerRing(bytes);
        java.util.Map<Long, long[]> at = new java.util.HashMap<>(); // seq -> its latest row's position and length
        long end = 0; // bytes appended, rolled-back rows' too
        long seq = 0;
        long published = 0;
        int found = 0;
        for (int batch = 0; batch < 300; batch++) {
            long first = seq + 1;
            int n = 1 + r.nextInt(12);
            for (int i = 0; i < n; i++) {
                byte[] row = rowOf(++seq);
                ring.add(seq, row);
                if (row.length <= bytes / 16) {
                    at.put(seq, new long[] {end, row.length});
                    end += row.length;
                } else {
                    at.remove(seq);
                }
            }
            long pending = first + r.nextInt(n);
            assertThat(ring.get(pending, "p" + (pending % 13), BRANDS[(int) (pending % BRANDS.length)]))
                    .as("seq %d written, not yet published", pending)
                    .isNull();
            if (r.nextInt(10) == 0) {
                // rolled back to the savepoint: the same seqs are given again to the rows that follow
                seq = first - 1;
                continue;
            }
            ring.publish();
            published = seq;
            for (int k = 0; k < 20; k++) {
                // a reader asks for the seqs its snapshot holds: published ones
                long asked = 1 + r.nextInt((int) published);
                String party = r.nextInt(8) == 0 ? "someone" : "p" + (asked % 13);
                LedgerEntry got = ring.get(asked, party, BRANDS[(int) (asked % BRANDS.length)]);
                if (!party.equals("p" + (asked % 13))) {
                    assertThat(got).as("seq %d asked as another owner's", asked).isNull();
                    continue;
                }
                // whole in the ring while the bytes from its start fit and no newer seq took its slot
                long[] where = at.get(asked);
                boolean mustHold = where != null && end - where[0] <= bytes && published - asked < ring.slots();
                if (got != null) {
                    assertThat(got).as("seq %d", asked).isEqualTo(asTableGives(asked));
                    found++;
                } else {
                    assertThat(mustHold)
                            .as(
                                    "seq %d, %d bytes from the end of a ring of %d",
                                    asked, where == null ? -1 : end - where[0], bytes)
                            .isFalse();
                }
            }
        }
        assertThat(found).as("rows the ring gave").isGreaterThan(100);
    }

    @Test
    @DisplayName(
            "issue 18: after a failed transaction and after an erasure the ring gives nothing written before, and an"
                    + " erasure leaves no byte of it")
    void forgetsWhatAFailedTransactionOrAnErasureLeft() {
        LedgerRing ring = new LedgerRing(1 << 14);
        for (long s = 1; s <= 20; s++) ring.add(s, rowOf(s));
        ring.publish();
        assertThat(ring.get(20, "p7", "rivalwear")).isEqualTo(asTableGives(20));
        ring.forgetAll();
        for (long s = 1; s <= 20; s++)
            assertThat(ring.get(s, "p" + (s % 13), BRANDS[(int) (s % 3)])).isNull();
        for (long s = 21; s <= 30; s++) ring.add(s, rowOf(s));
        ring.publish();
        assertThat(ring.get(30, "p4", "glitter")).isEqualTo(asTableGives(30));

        ring.clear();
        for (long s = 21; s <= 30; s++)
            assertThat(ring.get(s, "p" + (s % 13), BRANDS[(int) (s % 3)])).isNull();
        byte[] left = ring.bytesForTest();
        assertThat(left).as("the ring's bytes after an erasure").containsOnly((byte) 0);
        assertThat(new String(left, StandardCharsets.ISO_8859_1)).doesNotContain("e30");
    }

    @Test
    @DisplayName("issue 18: readers racing the writer around a small ring get each row exactly as written or nothing")
    void readersRacingTheWriterGetWholeRowsOnly() throws Exception {
        LedgerRing ring = new LedgerRing(1 << 13); // about 60 rows: the writer laps readers constantly
        AtomicLong newest = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long rows = 300_000;
        long[] checked = new long[4];
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int me = t;
            Thread reader = new Thread(() -> {
                Random r = new Random(me);
                try {
                    while (newest.get() < rows && failure.get() == null) {
                        long top = newest.get();
                        if (top == 0) continue;
                        long asked = Math.max(1, top - r.nextInt(80));
                        LedgerEntry got = ring.get(asked, "p" + (asked % 13), BRANDS[(int) (asked % 3)]);
                        if (got != null) {
                            if (!got.equals(asTableGives(asked))) {
                                throw new AssertionError("seq " + asked + " came back as " + got);
                            }
                            checked[me]++;
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            reader.start();
            readers.add(reader);
        }
        for (long s = 1; s <= rows && failure.get() == null; s++) {
            ring.add(s, rowOf(s));
            ring.publish();
            newest.set(s);
        }
        newest.set(rows);
        for (Thread reader : readers) reader.join(60_000);
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertThat(checked[0] + checked[1] + checked[2] + checked[3])
                .as("rows readers got and checked")
                .isGreaterThan(1000);
    }
}
