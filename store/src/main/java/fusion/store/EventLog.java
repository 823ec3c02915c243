package fusion.store;

import fusion.core.segment.SegmentCall;
import java.io.PrintStream;
import java.util.List;

/**
 * The log of accepted calls: what is appended, read back in order from any position, and erased.
 * Everything else Fusion keeps is derived from it (replay from empty gives the same state), so it
 * is the part a cluster shares: the single node's {@link Store} implements it over its events
 * table; a cluster's would be a partitioned topic.
 */
public interface EventLog {

    /**
     * Logs and applies a batch atomically (the SQL store commits it with the other batches waiting
     * at the time, in its own savepoint). Calls whose {@code messageId} is already in
     * the log (or earlier in the batch) are skipped and counted. Throws
     * {@link fusion.core.model.InvalidInput} (nothing stored) when a call does not fit.
     */
    IngestResult ingest(List<SegmentCall> calls);

    /** Every call in the log, in log order (for replay and export). */
    default void forEachEvent(EventConsumer consumer) {
        forEachEvent(0, consumer);
    }

    /**
     * The calls after log position {@code after} (a sequence number; 0 for the whole log), in log
     * order, up to the log's end when the call began: where a consumer that has applied the log up
     * to {@code after} goes on from.
     */
    void forEachEvent(long after, EventConsumer consumer);

    /** The profile's calls from the log, oldest first (for the person's export). */
    void forEachEventOf(String profile, EventConsumer consumer);

    /**
     * Erases a person: their events leave the log, and every derived table is rebuilt as if they
     * had never existed. Returns the record the erasure leaves, which names no one.
     */
    Erasure erase(String profile, String actor, PrintStream progress);

    List<Erasure> erasures();

    @FunctionalInterface
    interface EventConsumer {
        void accept(long seq, SegmentCall call);
    }
}
