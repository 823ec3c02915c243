package fusion.store.sql;

import fusion.core.engine.LedgerEntry;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The ledger's newest rows as the writer inserted them, in one ring of bytes, so that a profile
 * read finds a pair's newest entries without asking SQLite (docs/STORAGE.md "Profile reads"). Under
 * ingest every commit drops a read connection's page cache, so each entry a read fetched from the
 * ledger table cost the pages of its B-tree path again: copies from the OS (pread), SQLite's
 * decoding and a JNI call per column: with libc and the JVM's JNI, about 70% of the reading thread (perf,
 * bench/results/ledger-ring-2026-12-07.txt).
 *
 * <p>One large byte array and two slot arrays, allocated once by the writer at its first entry:
 * nothing here is an object per entry, so young collections neither copy nor scan it (a pause
 * copies the live objects it finds: rows kept as objects for ten seconds would each have been
 * copied several times before dying). The ring holds the newest {@link #bytes} of rows (about 180 bytes a row); older rows are
 * read from the table as before.
 *
 * <p>Each row ({@link LedgerCodec#row}) begins with its seq and owner, which a reader checks: a
 * slot is only a hint. One thread, the writer, appends; readers copy a row out and then check, as
 * a sequence lock does, that the writer did not reserve its bytes for a newer row meanwhile
 * ({@link #reserved} only grows). A row is returned only when it is published ({@link #published}:
 * its transaction was about to commit) and its seq and owner are the ones asked for, and a reader
 * asks only for seqs its SQL snapshot holds (committed rows), so what it returns is the table's
 * row:
 *
 * <ul>
 *   <li>rows of a batch rolled back to its savepoint keep their bytes, but their seqs are given
 *       again to the rows that follow, whose slots then point at the new bytes; a seq that is not
 *       given again is not in any snapshot;
 *   <li>a transaction that failed ({@link #forgetAll}) and an erasure or rebuild ({@link #clear},
 *       which also zeroes every byte: an erased person leaves none here) make every row written so
 *       far unreadable;
 *   <li>an identity merge renames a party in the table: the ring's row keeps the absorbed party,
 *       so a read of the survivor's pair finds it does not match and reads the table.
 * </ul>
 *
 * Sized by {@code -Dfusion.store.ledgerRing=BYTES} (a power of two; default 32 MiB; 0 keeps no
 * ring, as before 2026-12-07).
 */
final class LedgerRing {
    /** Bytes of rows kept, {@code fusion.store.ledgerRing}: 32 MiB, about 180,000 rows of the load driver's traffic (10 s of it at 17,000 events/s). */
    static final int DEFAULT_BYTES = 32 << 20;

    /** The ring of the writer's store ({@code fusion.store.ledgerRing}, or the default). */
    static LedgerRing configured() {
        int bytes = Integer.getInteger("fusion.store.ledgerRing", DEFAULT_BYTES);
        return new LedgerRing(bytes);
    }

    /** Rows larger than this are not kept (a note or contributions of kilobytes): readers read the table. */
    private final int largest;

    private final int bytes;
    private final int slots;
    private byte[] data;
    private long[] slotPos;
    private int[] slotLen;

    private final java.util.concurrent.atomic.LongAdder served = new java.util.concurrent.atomic.LongAdder();

    /** The writer's next byte position; positions only grow. */
    private long end;

    /** Bytes before this position are whole rows that readers may copy. */
    private volatile long published;

    /**
     * The writer may be writing, or has written, every position below this: a row at a position
     * below {@code reserved - bytes} may have been overwritten.
     */
    private volatile long reserved;

    /** {@code bytes}: a power of two, or 0 for no ring. */
    LedgerRing(int bytes) {
        if (bytes < 0 || Integer.bitCount(bytes) > 1) {
            throw new IllegalArgumentException(
                    "fusion.store.ledgerRing: expected 0 or a power of two (bytes) but was " + bytes);
        }
        this.bytes = bytes;
        this.slots = Math.max(1, bytes / 128);
        this.largest = bytes / 16;
    }

    /** The writer: a row it inserted in the open transaction ({@link LedgerCodec#row}). */
    void add(long seq, byte[] row) {
        if (bytes == 0) return;
        if (data == null) {
            data = new byte[bytes];
            slotPos = new long[slots];
            slotLen = new int[slots];
        }
        int slot = (int) (seq & (slots - 1));
        if (row.length > largest) {
            slotLen[slot] = 0; // whatever the slot held is older than this seq's row: not wanted
            return;
        }
        long pos = end;
        reserved = pos + row.length;
        VarHandle.storeStoreFence(); // the reservation is seen before any byte it covers changes
        int at = (int) (pos & (bytes - 1));
        int first = Math.min(row.length, bytes - at);
        System.arraycopy(row, 0, data, at, first);
        System.arraycopy(row, first, data, 0, row.length - first);
        slotPos[slot] = pos;
        slotLen[slot] = row.length;
        end = pos + row.length;
    }

    /** The writer, before the open transaction commits: its rows are readable. */
    void publish() {
        published = end;
    }

    /** The writer: the open transaction failed after its rows may have been published; none written so far is read again. */
    void forgetAll() {
        if (data == null) return;
        end = end + bytes;
        reserved = end;
        published = end;
    }

    /** The writer: an erasure or a rebuild emptied the tables; every byte is zeroed. */
    void clear() {
        if (data == null) return;
        forgetAll();
        VarHandle.fullFence();
        Arrays.fill(data, (byte) 0);
        Arrays.fill(slotLen, 0);
    }

    /**
     * A reader: the entry of ledger row {@code seq} if the ring holds it as {@code party}'s with
     * {@code brand}, else null (read the table).
     */
    LedgerEntry get(long seq, String party, String brand) {
        long ready = published;
        byte[] d = data;
        if (ready == 0 || d == null) return null;
        int slot = (int) (seq & (slots - 1));
        long pos = slotPos[slot];
        int len = slotLen[slot];
        if (len < 8 || pos + len > ready || pos < ready - bytes) return null;
        byte[] row = new byte[len];
        int at = (int) (pos & (bytes - 1));
        int first = Math.min(len, bytes - at);
        System.arraycopy(d, at, row, 0, first);
        System.arraycopy(d, 0, row, first, len - first);
        VarHandle.acquireFence(); // the copy is done before the check below reads
        if (pos < reserved - bytes) return null; // overwritten (or forgotten) while copied
        if (LedgerCodec.rowSeq(row) != seq) return null;
        LedgerEntry e;
        try {
            e = LedgerCodec.row(row);
        } catch (RuntimeException torn) {
            return null; // a slot's position and length from two rows: not a row
        }
        if (!e.party().equals(party) || !e.brand().equals(brand)) return null;
        served.increment();
        return e;
    }

    /** Rows readers got from the ring (not the table) since it was made. */
    long served() {
        return served.sum();
    }

    /** Whether the ring may hold rows (readers then fetch the table's seqs and the ring's rows apart). */
    boolean holdsRows() {
        return published > 0 && data != null;
    }

    /** Rows that can be found at once: a row's slot is its seq modulo this. */
    int slots() {
        return slots;
    }

    /** For tests: the bytes as they are (the writer idle). */
    byte[] bytesForTest() {
        return data == null ? new byte[0] : data.clone();
    }
}
