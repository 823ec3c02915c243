package fusion.store;

import java.time.Instant;
import java.util.List;

/**
 * Violations of the tracking plan kept across restarts (schema v6): one counter per source, event,
 * kind and field, with its newest samples. The server counts in memory and adds what it counted
 * since its last write in one transaction now and then (docs/SEGMENT.md), never once per event.
 */
public interface PlanViolationRecords {

    /** A sampled violation: the call's messageId, when it was received, the problem, whether it was refused. */
    record Sample(String messageId, Instant at, String problem, boolean blocked) {}

    /**
     * One counter. As kept: its totals and samples. As an increment to {@link #add}: what was counted
     * since the last write, and the samples that now replace the kept ones.
     */
    record Counter(
            String source,
            String event,
            String kind,
            String field,
            long count,
            long blocked,
            Instant first,
            List<Sample> samples) {
        public Counter {
            samples = List.copyOf(samples);
        }
    }

    /** Every kept counter with its samples (oldest sample first). */
    List<Counter> counters();

    /**
     * Adds each increment's count and blocked to its kept counter (made when new, with the
     * increment's {@code first}) and replaces that counter's samples by the increment's, all in one
     * transaction.
     */
    void add(List<Counter> increments);
}
