package fusion.store.sql;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.LongConsumer;

/**
 * Where the SQLite writer finds the messageIds already in the log (docs/STORAGE.md "Duplicates"):
 * the newest {@code size} events' messageIds, in memory, instead of a unique index on
 * {@code events.message_id}. Real clients send random UUIDs (Segment's Java library, RudderStack's
 * Node SDK), so that index's next key lands on any of its leaves and SQLite wrote a 4 KB page to its
 * WAL per event (bench/results/message-window-*.txt).
 *
 * <p>Each event is kept as one {@code long}: 40 bits of a SipHash-2-4 of its messageId under a
 * key drawn for this process (a sender cannot choose ids that collide), then the low 24 bits of
 * its sequence number. They sit in an open-addressed table (linear probing, deletion by backward
 * shift, no tombstones) and, in sequence order, in a queue that says which to drop when a newer
 * event pushes one out of the window. A lookup gives the sequence numbers whose 40 bits match;
 * the caller confirms each against the log's row, so a match of the bits alone never drops a call,
 * and an entry whose row was rolled back or erased matches nothing.
 *
 * <p>Not thread-safe: the writer's thread alone uses it.
 */
final class MessageIdWindow {
    /** The largest window: entries keep 24 bits of their sequence number and the queue may run {@link #SLACK} past it. */
    static final int MAX_SIZE = StoreSettings.MAX_DEDUP_WINDOW;

    /**
     * How many events the queue keeps beyond the window (at most), so that a rolled-back transaction of at
     * most this many events (a writer group is at most 32 batches of 500) leaves every event the
     * window must hold; a larger one makes the caller {@link #load} again.
     */
    static final int SLACK = 1 << 16;

    private static final int SEQ_BITS = 24;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;
    private static final double MAX_LOAD = 0.7;

    private final int size;
    private final int slack;
    private final HashFunction hash;

    /** Open addressing; 0 is an empty slot (an entry's 40 bits are never all 0). */
    private long[] table = new long[1024];

    private int count;

    /** Entries in sequence order, oldest at {@code head}; a ring that doubles when full. */
    private long[] queue = new long[1024];

    private int head;
    private int queued;

    /** The newest sequence number added ({@link #add}) or loaded. */
    private long newest;

    /** Every event numbered above this is held: those at or below it were dropped, or not loaded. */
    private long floor;

    MessageIdWindow(int size) {
        this(size, SLACK);
    }

    /** With {@code slack} events kept past the window (tests make it small). */
    MessageIdWindow(int size, int slack) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("dedupWindow: expected 1 to " + MAX_SIZE + " but was " + size);
        }
        if (slack < 0 || slack > SLACK) throw new IllegalArgumentException("slack: expected 0 to " + SLACK);
        this.size = size;
        this.slack = slack;
        SecureRandom r = new SecureRandom();
        this.hash = Hashing.sipHash24(r.nextLong(), r.nextLong());
    }

    int size() {
        return size;
    }

    /** Events kept, those in the window and up to {@link #SLACK} older. */
    int kept() {
        return count;
    }

    /** Event {@code seq} (larger than any added before) has {@code messageId}. */
    void add(String messageId, long seq) {
        newest = seq;
        floor = Math.max(floor, seq - size - slack);
        while (queued > 0 && seqOf(queue[head]) <= floor) {
            remove(queue[head]);
            queue[head] = 0;
            head = (head + 1) & (queue.length - 1);
            queued--;
        }
        long e = entry(messageId, seq);
        if (queued == queue.length) growQueue();
        queue[(head + queued) & (queue.length - 1)] = e;
        queued++;
        if (count + 1 > table.length * MAX_LOAD) rehash(table.length * 2);
        insert(table, e);
        count++;
    }

    /**
     * The sequence numbers among the newest {@code size} (up to the newest added) whose entry
     * matches {@code messageId}'s bits; each must be confirmed against the log.
     */
    void candidates(String messageId, LongConsumer out) {
        long fp = fingerprint(messageId);
        int mask = table.length - 1;
        for (int i = home(fp, mask); table[i] != 0; i = (i + 1) & mask) {
            long e = table[i];
            if (e >>> SEQ_BITS != fp) continue;
            long seq = seqOf(e);
            if (seq > newest - size) out.accept(seq);
        }
    }

    /**
     * Forgets the events numbered {@code from} and later (a rollback gives their numbers again).
     * False when those events pushed out some that the window must hold again: then {@link #load}.
     */
    boolean truncateFrom(long from) {
        while (queued > 0) {
            int last = (head + queued - 1) & (queue.length - 1);
            if (seqOf(queue[last]) < from) break;
            remove(queue[last]);
            queue[last] = 0;
            queued--;
        }
        newest = Math.min(newest, from - 1);
        return from - 1 - size >= floor;
    }

    void clear() {
        java.util.Arrays.fill(table, 0);
        java.util.Arrays.fill(queue, 0);
        count = 0;
        head = 0;
        queued = 0;
        newest = 0;
        floor = 0;
    }

    /**
     * Fills the window from the log: the messageIds of its newest {@code size} events up to
     * {@code newestSeq}, in key order; logged when that takes a second or more (a start of a large store).
     */
    void load(Connection c, long newestSeq) throws SQLException {
        long since = System.nanoTime();
        clear();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT seq, message_id FROM events WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            ps.setLong(1, newestSeq - size);
            ps.setLong(2, newestSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) add(rs.getString(2), rs.getLong(1));
            }
        }
        loaded(newestSeq);
        long ms = (System.nanoTime() - since) / 1_000_000;
        if (ms >= 1_000) {
            System.getLogger(MessageIdWindow.class.getName())
                    .log(
                            System.Logger.Level.INFO,
                            String.format(
                                    java.util.Locale.ROOT,
                                    "read the messageIds of the log's newest %,d events in %,d ms",
                                    count,
                                    ms));
        }
    }

    /** After {@link #clear} and {@link #add}s of the log's events numbered above {@code newestSeq - size}: the window is theirs. */
    void loaded(long newestSeq) {
        newest = newestSeq;
        floor = Math.max(0, newestSeq - size);
    }

    /** The sequence number of entry {@code e}: the one at or below the newest with its low 24 bits. */
    private long seqOf(long e) {
        return newest - ((newest - e) & SEQ_MASK);
    }

    private long fingerprint(String messageId) {
        // the id's UTF-8 bytes, which SipHash takes 8 at a time; hashUnencodedChars fed it a char
        // at a time, and was 6% of the writer's Java samples (JFR, 2026-12-07). Ids whose bytes
        // match (only unpaired surrogates, each encoded as '?') share a fingerprint, which costs
        // a read of their rows, never a wrong answer
        long fp = hash.hashBytes(messageId.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .asLong()
                >>> SEQ_BITS;
        return fp == 0 ? 1 : fp;
    }

    private long entry(String messageId, long seq) {
        return fingerprint(messageId) << SEQ_BITS | (seq & SEQ_MASK);
    }

    private static int home(long fp, int mask) {
        return (int) fp & mask;
    }

    private static void insert(long[] t, long e) {
        int mask = t.length - 1;
        int i = home(e >>> SEQ_BITS, mask);
        while (t[i] != 0) i = (i + 1) & mask;
        t[i] = e;
    }

    /** Removes entry {@code e}, shifting back the entries of its run that would no longer be found. */
    private void remove(long e) {
        int mask = table.length - 1;
        int i = home(e >>> SEQ_BITS, mask);
        while (table[i] != e) {
            if (table[i] == 0) return; // not there (cleared since)
            i = (i + 1) & mask;
        }
        count--;
        for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int k = home(table[j] >>> SEQ_BITS, mask);
            // table[j] stays if its home lies cyclically in (i, j]; else it moves into the hole
            boolean stays = i <= j ? i < k && k <= j : i < k || k <= j;
            if (stays) continue;
            table[i] = table[j];
            i = j;
        }
        table[i] = 0;
    }

    private void rehash(int capacity) {
        long[] t = new long[capacity];
        for (long e : table) if (e != 0) insert(t, e);
        table = t;
    }

    private void growQueue() {
        long[] q = new long[queue.length * 2];
        for (int k = 0; k < queued; k++) q[k] = queue[(head + k) & (queue.length - 1)];
        queue = q;
        head = 0;
    }
}
