package fusion.server.log;

import fusion.core.segment.SegmentCall;
import fusion.store.IngestResult;
import fusion.store.Store;
import java.util.List;
import java.util.Map;

/** The single node's log: the store's {@code events} table, written with everything derived from it. */
final class StoreLog implements IngestLog {
    private final Store store;

    StoreLog(Store store) {
        this.store = java.util.Objects.requireNonNull(store, "store");
    }

    @Override
    public IngestResult append(List<SegmentCall> calls) {
        return store.ingest(calls);
    }

    /** Nothing to add: a committed batch is already in every derived table, so there is no lag. */
    @Override
    public Map<String, Object> health() {
        return Map.of("log", "store");
    }

    /** The store is the server's to close. */
    @Override
    public void close() {}
}
