package fusion.store.sql;

import fusion.core.engine.Engine;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.store.BrandView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A brand's daily health, computed exactly from its ledger: each ledger row carries the pair's
 * full state after it, so the health at the end of any day is every pair's last state by then,
 * faded to that instant and value-weighted.
 *
 * <p>It is fed one pair at a time ({@link #add}), each pair's entries in (time, seq) order and
 * the pairs in their parties' order, and gives the same figures, to the bit, as one pass over the
 * brand's whole ledger in (time, seq) order keeping every party's last state (which is how it
 * was computed until schema v15, through the ledger's {@code brand, time} index; the index cost
 * the writer about as much as a sorted-run index of it would, and a pair's entries are found
 * through the pair index every read already uses: docs/STORAGE.md "Ledger"):
 *
 * <ul>
 *   <li>a day's health adds the pairs' states in their parties' order, as that pass summed its
 *       map of parties;
 * </ul>
 *
 * A day's money is the exact sum of its events' changes, rounded once ({@link ExactSum}), so it
 * does not depend on the order the pairs come in; until 2026-12-08 it was their sum in (time,
 * seq) order, as that pass added them, which meant keeping and sorting every change of the window.
 *
 * Cost: a read of each pair's ledger, plus days x pairs score evaluations.
 */
final class BrandSeries {
    /** A ledger row of the pair: its number, time, kind and the state after it. */
    record Entry(long seq, long time, LedgerEntry.Kind kind, Relationship after) {
        /** By time, then seq (compared directly: a series sorts hundreds of thousands). */
        static final Comparator<Entry> IN_TIME =
                (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq);
    }

    private final Engine engine;
    private final LocalDate first;
    private final int days;
    private final Queries.Health[] health;
    private final long[] events;
    private final ExactSum[] money;
    private String lastParty;

    BrandSeries(Engine engine, Instant at, int days) {
        this.engine = engine;
        this.days = Math.max(1, days);
        this.first = Queries.day(at).minusDays(this.days - 1L);
        this.health = new Queries.Health[this.days];
        this.events = new long[this.days];
        this.money = new ExactSum[this.days];
        for (int i = 0; i < this.days; i++) {
            health[i] = new Queries.Health();
            money[i] = new ExactSum();
        }
    }

    /**
     * The pair of {@code party}: its entries in (time, seq) order. Parties come in their natural
     * order, each once.
     */
    void add(String party, List<Entry> entries) {
        if (lastParty != null && lastParty.compareTo(party) >= 0) {
            throw new IllegalArgumentException("parties out of order: " + party + " after " + lastParty);
        }
        lastParty = party;
        Relationship state = null;
        int next = 0; // the first day whose end this pair has not been added to
        for (Entry e : entries) {
            long day = Queries.day(Instant.ofEpochMilli(e.time())).toEpochDay() - first.toEpochDay();
            for (; next < days && next < day; next++) {
                if (state != null) health[next].add(state, engine, end(next));
            }
            if (e.kind() == LedgerEntry.Kind.EVENT && day >= 0 && day < days) {
                events[(int) day]++;
                double before = state == null ? 0 : state.money();
                money[(int) day].add(e.after().money() - before);
            }
            state = e.after();
        }
        for (; next < days && state != null; next++) health[next].add(state, engine, end(next));
    }

    List<BrandView.Point> points() {
        List<BrandView.Point> out = new ArrayList<>(days);
        for (int i = 0; i < days; i++) {
            Queries.Health h = health[i];
            out.add(new BrandView.Point(
                    first.plusDays(i), h.fusion(), h.experience(), h.consumers, events[i], money[i].value()));
        }
        return out;
    }

    private Instant end(int day) {
        return first.plusDays(day + 1L).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1);
    }
}
