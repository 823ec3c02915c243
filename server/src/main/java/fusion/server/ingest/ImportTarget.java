package fusion.server.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.store.IngestResult;
import java.util.List;

/**
 * Where imported calls go: the local store through the same ingest path as the HTTP routes, or a
 * running server's {@code /v1/import}. {@link #append} is all or nothing, like one API batch: it
 * returns once the calls are durable, or throws {@link fusion.core.model.InvalidInput} naming
 * {@code batch[i]} and the field (nothing written), or another exception when it cannot write now.
 */
public interface ImportTarget {
    /** One call as read from the file: its JSON object (with its messageId) and the call parsed from it. */
    record Call(ObjectNode json, SegmentCall call) {}

    IngestResult append(List<Call> calls);

    /**
     * A target that sends a batch in parts (a server's 500 KB body limit) found a bad call after
     * the first {@code written} calls were durable: {@code cause} names the bad one by its index
     * in the whole batch.
     */
    final class Partial extends RuntimeException {
        final int written;
        final IngestResult result;
        final InvalidInput cause;

        public Partial(int written, IngestResult result, InvalidInput cause) {
            super(cause.getMessage(), cause);
            this.written = written;
            this.result = result;
            this.cause = cause;
        }
    }

    /** The single node: the calls go through {@code log}, as the HTTP ingest routes send them. */
    static ImportTarget of(fusion.server.log.IngestLog log) {
        return calls -> log.append(calls.stream().map(Call::call).toList());
    }

    /**
     * The same, checked first against the tracking plan in the mode of {@code source}, as the HTTP
     * routes check a write key's calls.
     */
    static ImportTarget of(fusion.server.log.IngestLog log, fusion.server.plan.PlanGate plan, String source) {
        return calls -> {
            List<SegmentCall> c = calls.stream().map(Call::call).toList();
            var checked = plan.check(source, c);
            IngestResult r = log.append(c);
            checked.accepted();
            return r;
        };
    }
}
