package fusion.flink;

import fusion.store.StoreFailure;
import fusion.store.sql.PostgresSink;
import fusion.store.sql.StoreUrl;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes the job's changes into the PostgreSQL serving tables the read API uses, exactly once,
 * in two phases. The writer only collects: at each checkpoint barrier the changes received
 * since the last one become one {@link Batch}, kept in the checkpoint. The committer writes a
 * batch only when its checkpoint has completed, in ONE transaction together with
 * {@code log_progress} (how far each Kafka partition has been applied). So the tables never
 * run ahead of a checkpoint the job can restore: after a failure the job resumes from the last
 * completed checkpoint, whose batches are committed (or committed again, below), and every
 * change it emits next is new to the tables.
 *
 * <p>Committing again is harmless: a change whose sequence number the tables already hold (the
 * position the sink records in {@code log_progress}, {@link #orderOf}) is skipped, so a batch
 * re-committed after a restore (Flink retries the commits of the restored checkpoint) changes
 * nothing. An erasure's change deletes the person's rows in the same transaction
 * ({@link fusion.store.sql.PostgresSink#erase}). The same rule lets the job start again from the
 * beginning of the topic over tables that already hold the log: its order depends on the
 * records alone, so it numbers them as before.
 *
 * <p>A call's writes come in two halves from two stages (the ordered stage's and the engine
 * stage's, which runs on several subtasks): the writer joins them by {@code seq} and puts into
 * a checkpoint's batch only the changes complete and without a gap after the last one batched;
 * the rest waits in the writer's state ({@link Collect}).
 *
 * <p>Runs with parallelism 1, behind the stage that numbers the log: one writer per store.
 * A checkpoint holds one interval's changes (a few hundred bytes each): choose the interval
 * with the ingest rate in mind (docs/SCALE-OUT.md).
 */
final class ServingTablesSink
        implements Sink<Change>,
                SupportsCommitter<ServingTablesSink.Batch>,
                SupportsWriterState<Change, ServingTablesSink.Batch> {
    private final String storeUrl;
    private final String topic;

    ServingTablesSink(String storeUrl, String topic) {
        this.storeUrl = storeUrl;
        this.topic = topic;
    }

    /**
     * Where {@code log_progress} keeps the job's position in its log order (next_offset: the next
     * change's sequence number, partition 0): under the topic's name with {@code /seq} appended,
     * which no Kafka topic can be named ('/' is not allowed), so readers of a topic's offsets never
     * see it.
     */
    static String orderOf(String topic) {
        return topic + "/seq";
    }

    /**
     * The changes between two checkpoint barriers, in the job's log order. Immutable, so it keeps
     * its bytes once it has them ({@link BatchSerializer}): a committable travels from the writer to
     * the committer as bytes and then sits in every committer checkpoint until its own checkpoint
     * completes; encoding it again each time was a third of the committer's CPU.
     */
    static final class Batch {
        private final List<Change> changes;
        /** The serializer's current version of this batch, once made or read; null until then. */
        private byte[] bytes;

        Batch(List<Change> changes) {
            this.changes = List.copyOf(changes);
        }

        private Batch(List<Change> changes, byte[] bytes) {
            this(changes);
            this.bytes = bytes;
        }

        List<Change> changes() {
            return changes;
        }

        long first() {
            return changes.get(0).seq;
        }
    }

    @Override
    public StatefulSinkWriter<Change, Batch> createWriter(WriterInitContext context) {
        return new Collect(1, List.of());
    }

    @Override
    public StatefulSinkWriter<Change, Batch> restoreWriter(WriterInitContext context, Collection<Batch> states) {
        long next = Long.MAX_VALUE;
        List<Change> waiting = new ArrayList<>();
        for (Batch b : states) {
            for (Change c : b.changes()) {
                if (c.part == Collect.NEXT) next = Math.min(next, c.seq);
                else waiting.add(c);
            }
        }
        return new Collect(next == Long.MAX_VALUE ? 1 : next, waiting);
    }

    @Override
    public SimpleVersionedSerializer<Batch> getWriterStateSerializer() {
        return new BatchSerializer();
    }

    @Override
    public Committer<Batch> createCommitter(CommitterInitContext context) {
        return new Tables(PostgresSink.open(StoreUrl.parse(storeUrl)), topic);
    }

    @Override
    public SimpleVersionedSerializer<Batch> getCommittableSerializer() {
        return new BatchSerializer();
    }

    /**
     * Collects the changes of one checkpoint interval; writes nothing. Joins each seq's halves and
     * moves a change into the next batch only when it is complete and every change before it was
     * batched; the others wait here, in the writer's state across checkpoints.
     */
    static final class Collect implements CommittingSinkWriter<Change, Batch>, StatefulSinkWriter<Change, Batch> {
        /** In the writer's state: a marker whose seq is the next change to batch. */
        static final byte NEXT = 9;

        private long next;
        /** Changes not batched yet, by seq: whole ones, and halves waiting for the other half. */
        private final TreeMap<Long, Change> waiting = new TreeMap<>();

        private List<Change> pending = new ArrayList<>();

        Collect(long next, List<Change> waiting) {
            this.next = next;
            for (Change c : waiting) this.waiting.put(c.seq, c);
            advance();
        }

        @Override
        public void write(Change change, Context context) {
            if (change.seq < next) {
                throw new IllegalStateException("change " + change.seq + " arrived again after " + (next - 1)
                        + " was batched: the stages' state and the sink's disagree");
            }
            Change before = waiting.get(change.seq);
            if (before == null) {
                waiting.put(change.seq, copy(change));
            } else if (before.part == Change.IDENTITIES && change.part == Change.ENGINE) {
                before.engineOps = change.ops;
            } else if (before.part == Change.ENGINE && change.part == Change.IDENTITIES) {
                Change joined = copy(change);
                joined.engineOps = before.ops;
                waiting.put(change.seq, joined);
            } else {
                throw new IllegalStateException(
                        "change " + change.seq + " arrived twice (parts " + before.part + " and " + change.part + ")");
            }
            advance();
        }

        private static Change copy(Change c) {
            return new Change(c.seq, c.partition, c.offset, c.ops, c.engineOps, c.part);
        }

        private static boolean complete(Change c) {
            return c.part == Change.WHOLE || (c.part == Change.IDENTITIES && c.engineOps != null);
        }

        /** Moves the complete changes without a gap before them into the batch. */
        private void advance() {
            while (!waiting.isEmpty()
                    && waiting.firstKey() == next
                    && complete(waiting.firstEntry().getValue())) {
                Change c = waiting.pollFirstEntry().getValue();
                pending.add(new Change(c.seq, c.partition, c.offset, c.ops, c.engineOps, Change.WHOLE));
                next++;
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            // the changes go out with the checkpoint (prepareCommit), the last ones with the final checkpoint
            if (endOfInput && !waiting.isEmpty()) {
                Change first = waiting.firstEntry().getValue();
                throw new IllegalStateException("the input ended with " + waiting.size() + " changes not complete: "
                        + "change " + next + " is due and change " + first.seq + " (part " + first.part
                        + ") waits");
            }
        }

        @Override
        public Collection<Batch> prepareCommit() {
            if (pending.isEmpty()) return List.of();
            Batch batch = new Batch(pending);
            pending = new ArrayList<>();
            return List.of(batch);
        }

        @Override
        public List<Batch> snapshotState(long checkpointId) {
            List<Change> state = new ArrayList<>(pending.size() + waiting.size() + 1);
            state.add(new Change(next - pending.size(), -1, -1, new byte[0], null, NEXT));
            state.addAll(pending);
            state.addAll(waiting.values());
            return List.of(new Batch(state));
        }

        @Override
        public void close() {}
    }

    /** Commits completed checkpoints' batches into the serving tables. */
    private static final class Tables implements Committer<Batch> {
        private final PostgresSink sink;
        private final String topic;

        Tables(PostgresSink sink, String topic) {
            this.sink = sink;
            this.topic = topic; // log_progress comes with the store's migrations (V4), run by PostgresSink.open
        }

        /**
         * Writes every request's batch in ONE transaction (Flink hands the committer all the
         * batches of the completed checkpoints at once: one after a checkpoint, several after a
         * restore): one read of the position, one write of {@code log_progress}, one commit.
         */
        @Override
        public void commit(Collection<CommitRequest<Batch>> requests) {
            List<CommitRequest<Batch>> inOrder = new ArrayList<>(requests);
            inOrder.sort(Comparator.comparingLong(r -> r.getCommittable().first()));
            try {
                if (!write(inOrder)) inOrder.forEach(CommitRequest::signalAlreadyCommitted);
            } catch (SQLException | RuntimeException e) {
                sink.rollback();
                // the job fails over and commits this checkpoint's batches again after the restore
                RuntimeException failure = e instanceof SQLException
                        ? new StoreFailure("writing the serving tables", e)
                        : (RuntimeException) e;
                for (CommitRequest<Batch> request : inOrder) request.signalFailedWithUnknownReason(failure);
            }
        }

        /** Writes the batches in one transaction; false when the tables held all of them already. */
        private boolean write(List<CommitRequest<Batch>> requests) throws SQLException {
            long next = appliedThrough(sink.connection(), topic) + 1;
            Map<Integer, Long> offsets = new TreeMap<>();
            for (CommitRequest<Batch> request : requests) {
                for (Change c : request.getCommittable().changes()) {
                    if (c.seq < next) continue; // committed before a restore, or by an earlier run over the same log
                    if (c.seq != next) {
                        throw new IllegalStateException("change " + c.seq + " arrived where " + next
                                + " was due: the serving tables and the job's state disagree");
                    }
                    sink.continueAt(c.seq);
                    Ops.replay(c.ops, sink.tx(), (profile, names, actor, at) -> sink.erase(profile, names, actor, at));
                    if (c.engineOps != null) Ops.replay(c.engineOps, sink.tx()); // relationship states, ledger
                    next++;
                    offsets.merge(c.partition, c.offset + 1, Math::max);
                }
            }
            if (offsets.isEmpty()) {
                sink.rollback();
                return false;
            }
            try (PreparedStatement ps = sink.connection()
                    .prepareStatement("INSERT INTO log_progress (topic, partition, next_offset) VALUES (?, ?, ?) "
                            + "ON CONFLICT (topic, partition) DO UPDATE SET next_offset = "
                            + "GREATEST(log_progress.next_offset, excluded.next_offset)")) {
                for (var o : offsets.entrySet()) {
                    ps.setString(1, topic);
                    ps.setInt(2, o.getKey());
                    ps.setLong(3, o.getValue());
                    ps.addBatch();
                }
                ps.setString(1, orderOf(topic));
                ps.setInt(2, 0);
                ps.setLong(3, next);
                ps.addBatch();
                ps.executeBatch();
            }
            sink.commit();
            return true;
        }

        /**
         * The log position the serving tables hold: the last sequence number written, as the sink
         * recorded it with the rows (an erasure takes a number and may remove the newest events), or
         * the events table's last one for tables written before that record existed.
         */
        private static long appliedThrough(Connection c, String topic) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT GREATEST((SELECT COALESCE(MAX(seq), 0) FROM events), "
                            + "(SELECT COALESCE(MAX(next_offset), 1) - 1 FROM log_progress WHERE topic = ? AND partition = 0))")) {
                ps.setString(1, orderOf(topic));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        @Override
        public void close() {
            sink.close();
        }
    }

    /**
     * A batch as bytes in the checkpoint: count, then each change's seq, partition, offset, ops,
     * and (version 2) its part and engine half (length -1: none). Version 1 (before the engine
     * stage was keyed) is read too. Written in one pass into an array of the exact size; a batch
     * read or written before gives back the same bytes without encoding them again.
     */
    static final class BatchSerializer implements SimpleVersionedSerializer<Batch> {
        private static final int VERSION = 2;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(Batch batch) {
            byte[] cached = batch.bytes;
            if (cached != null) return cached;
            int size = Integer.BYTES;
            for (Change c : batch.changes()) {
                size += Long.BYTES
                        + Integer.BYTES
                        + Long.BYTES
                        + Integer.BYTES
                        + c.ops.length
                        + 1
                        + Integer.BYTES
                        + (c.engineOps == null ? 0 : c.engineOps.length);
            }
            ByteBuffer out = ByteBuffer.allocate(size); // big-endian, as DataOutputStream wrote version 2 before
            out.putInt(batch.changes().size());
            for (Change c : batch.changes()) {
                out.putLong(c.seq);
                out.putInt(c.partition);
                out.putLong(c.offset);
                out.putInt(c.ops.length);
                out.put(c.ops);
                out.put(c.part);
                out.putInt(c.engineOps == null ? -1 : c.engineOps.length);
                if (c.engineOps != null) out.put(c.engineOps);
            }
            batch.bytes = out.array();
            return batch.bytes;
        }

        @Override
        public Batch deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1 && version != VERSION) {
                throw new IOException("unknown serving-table batch version " + version);
            }
            try {
                ByteBuffer in = ByteBuffer.wrap(serialized);
                int n = in.getInt();
                if (n < 0 || n > serialized.length) throw new IOException("corrupt serving-table batch: count " + n);
                List<Change> changes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long seq = in.getLong();
                    int partition = in.getInt();
                    long offset = in.getLong();
                    byte[] ops = bytes(in, in.getInt());
                    byte part = Change.WHOLE;
                    byte[] engineOps = null;
                    if (version == VERSION) {
                        part = in.get();
                        int length = in.getInt();
                        if (length >= 0) engineOps = bytes(in, length);
                    }
                    changes.add(new Change(seq, partition, offset, ops, engineOps, part));
                }
                if (in.hasRemaining()) {
                    throw new IOException(
                            "corrupt serving-table batch: " + in.remaining() + " bytes after change " + n);
                }
                // a version 1 batch is written again as version 2, so it keeps no bytes
                return version == VERSION ? new Batch(changes, serialized) : new Batch(changes);
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new IOException("corrupt serving-table batch: it ends early", e);
            }
        }

        private static byte[] bytes(ByteBuffer in, int length) throws IOException {
            if (length < 0 || length > in.remaining()) {
                throw new IOException("corrupt serving-table batch: a change of " + length + " bytes where "
                        + in.remaining() + " remain");
            }
            byte[] b = new byte[length];
            in.get(b);
            return b;
        }
    }
}
