package fusion.server.log;

import fusion.core.segment.SegmentCall;
import fusion.store.IngestResult;
import fusion.store.Store;
import java.util.List;
import java.util.Map;

/**
 * The seam between the HTTP ingest routes and the log of accepted calls. {@link #append} returns
 * only when every call it accepted is durable in the log; when it cannot say so it throws, and the
 * caller answers 503: nothing is acknowledged that was not written.
 */
public interface IngestLog extends AutoCloseable {

    /**
     * Checks a validated batch, writes it and says what it did. Throws
     * {@link fusion.core.model.InvalidInput} (nothing written) when a call does not fit, and
     * {@link LogUnavailable}, {@link fusion.store.StoreFailure} or {@link fusion.store.StoreBusy}
     * when the log cannot take it now.
     */
    IngestResult append(List<SegmentCall> calls);

    /** What {@code /health} shows about this log (Kafka: the job's lag behind the topic). */
    Map<String, Object> health();

    @Override
    void close();

    /** The single node: the store logs and applies each batch in one transaction. */
    static IngestLog of(Store store) {
        return new StoreLog(store);
    }
}
