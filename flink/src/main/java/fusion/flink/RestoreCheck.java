package fusion.flink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Refuses to run a job restored from a checkpoint or savepoint whose positions in the topic the
 * log no longer holds. An erasure cuts a partition's prefix ({@code DeleteRecords}, see
 * docs/SCALE-OUT.md "Erasure and Kafka's log"), and retention deletes old segments; Flink's
 * {@code KafkaSource} started with {@code OffsetsInitializer.earliest()} forces the consumer's
 * {@code auto.offset.reset} to {@code earliest}, so a restored split whose offset is below the
 * partition's log start silently resumes at the log start, and the job would skip everyone's
 * records in between (and meet no erasure command there). This stage, chained to the source,
 * keeps per partition the next offset it expects (operator state, restored whole on every
 * subtask) and fails the job, without restarts, naming the partition, the restored offset, the
 * log start offset and what to do: at start against the log start offsets, and on a partition's
 * first record after the restore, in case a cut came in between.
 */
final class RestoreCheck extends ProcessFunction<LogRecord, LogRecord> implements CheckpointedFunction {
    private final String bootstrapServers;
    private final String topic;
    private transient ListState<long[]> stored;
    /** Partition to the next offset expected: restored, or one past the last record seen. */
    private transient Map<Integer, Long> next;
    /** Restored partitions whose first record since the restore has not come yet. */
    private transient Map<Integer, Long> unchecked;

    RestoreCheck(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        stored = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>(
                        "next-offsets", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        next = new HashMap<>();
        unchecked = new HashMap<>();
        boolean first = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        if (context.isRestored()) {
            for (long[] e : stored.get()) next.merge((int) e[0], e[1], Math::max);
            unchecked.putAll(next);
            if (first) {
                Map<Integer, Long> starts = logStarts(next.keySet().stream().toList());
                for (var e : new TreeMap<>(next).entrySet()) {
                    check(e.getKey(), e.getValue(), starts.getOrDefault(e.getKey(), 0L));
                }
            }
        }
        // a fresh job asks nothing of the broker here: a task slow to start holds back the first
        // checkpoint (JobParityTest's injected failure came after the whole input). A partition it
        // has read nothing of by a checkpoint is therefore not checked on a restore from it.
    }

    @Override
    public void processElement(LogRecord r, Context ctx, Collector<LogRecord> out) {
        if (!unchecked.isEmpty()) {
            Long expected = unchecked.remove(r.partition);
            if (expected != null && r.offset > expected) {
                check(r.partition, expected, logStarts(List.of(r.partition)).getOrDefault(r.partition, 0L));
            }
        }
        next.put(r.partition, r.offset + 1);
        out.collect(r);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        stored.clear();
        for (var e : next.entrySet()) stored.add(new long[] {e.getKey(), e.getValue()});
    }

    private void check(int partition, long restored, long logStart) {
        if (logStart <= restored) return;
        throw new SuppressRestartsException(new IllegalStateException("the job was restored from a checkpoint or "
                + "savepoint older than the log: partition " + topic + "/" + partition + " resumes at offset "
                + restored + " but the log now starts at offset " + logStart + " (records " + restored + " to "
                + (logStart - 1) + " were removed by an erasure's cut or by retention), so the job would skip "
                + "them. Restore from a later checkpoint or savepoint (one taken after the erasures were done: "
                + "GET /api/erasures/requests), or start the job without a savepoint into a fresh store, which "
                + "then holds what the topic retains (docs/SCALE-OUT.md, \"Erasure and Kafka's log\")"));
    }

    /** The log start offset of each of {@code partitions}. */
    private Map<Integer, Long> logStarts(List<Integer> partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int p : partitions) ask.put(new TopicPartition(topic, p), OffsetSpec.earliest());
            Map<Integer, Long> out = new HashMap<>();
            admin.listOffsets(ask)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the log start offsets of " + topic, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "cannot read the log start offsets of " + topic + " at " + bootstrapServers + ": " + e.getMessage(),
                    e);
        }
    }
}
