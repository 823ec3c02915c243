package fusion.flink;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.ErasureCommand;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Puts the de-duplicated records into the log's order and applies each with the store's own
 * {@link Pipeline} without its relationship half (identity resolution, mapping, merges of
 * profiles, consent, traits, brands) over {@link StateTx}, emitting one {@link Change} per record
 * and, to the engine stage ({@link Score}, keyed by profile, side output {@link #ROUTED}), what
 * it needs to score the call and to move merged profiles' relationship states ({@link Routed}). A record whose messageId was applied
 * before (an SDK's retry, a producer's resend) is dropped here, in the log's order, so the first
 * copy in that order wins, as on the single node (keyed state, with a time to live).
 *
 * <p>The order is (receivedAt, messageId). A record waits in state until every partition of the
 * topic has shown a record at least {@code outOfOrderness} newer (the frontier, kept in state
 * per partition from the records themselves), then goes out in that order. Flink's watermarks
 * are not used for this: a source subtask without splits yet, or just restarted, lets them run
 * ahead of partitions not read yet, which would make the order depend on timing. Here it
 * depends on the records alone, so a restart from a checkpoint or a savepoint applies them in
 * the same order again. At the end of a bounded input everything waiting goes out. A partition
 * that sends nothing for {@code idleness} (processing time; zero: never) stops holding the order
 * back, and when every partition is that quiet everything waiting goes out; a record that then
 * arrives behind the frontier is applied at once, in arrival order.
 *
 * <p>An erasure command ({@link ErasureCommand}) takes its place in the same order: on reaching
 * it the stage removes the person from its state and emits a change that deletes their rows in
 * the serving tables (docs/SCALE-OUT.md, "Erasure in a cluster").
 */
final class Apply extends KeyedProcessFunction<Integer, LogRecord, Change> {
    /** What goes to the engine stage, in the log's order. */
    static final OutputTag<Routed> ROUTED = new OutputTag<>("to the engine stage", TypeInformation.of(Routed.class));

    private final Map<String, String> model;
    private final String defaultBrand;
    private final int partitions;
    private final long outOfOrderness;
    private final long idleness;
    private transient Pipeline pipeline;
    private transient StateTx tx;
    private transient MapState<Long, List<LogRecord>> waiting;
    private transient MapState<Integer, Long> newestOfPartition;
    private transient ValueState<Long> appliedThrough;
    /** messageId to the profile its call was logged under; erased messageIds as digests ({@link StateTx#erasedMessage}). */
    private transient MapState<String, String> logged;
    /** Whether any erasure was applied: only then are messageIds also looked up as erased. */
    private transient ValueState<Boolean> erasedAny;
    /** The receipt times waiting, in order: an index of {@link #waiting}, rebuilt from it after a restore. */
    private transient TreeSet<Long> due;
    /** When each partition last sent a record (processing time; not state: after a restart all are fresh). */
    private transient Map<Integer, Long> lastArrival;

    private final java.time.Duration dedupeRetention;

    Apply(
            Map<String, String> model,
            String defaultBrand,
            int partitions,
            long outOfOrderness,
            long idleness,
            java.time.Duration dedupeRetention) {
        this.dedupeRetention = dedupeRetention;
        this.model = new HashMap<>(model);
        this.defaultBrand = defaultBrand;
        this.partitions = partitions;
        this.outOfOrderness = outOfOrderness;
        this.idleness = idleness;
    }

    @Override
    public void open(OpenContext context) {
        pipeline = new Pipeline(new Engine(ModelConfig.of(model)), SegmentMapping.standard(defaultBrand))
                .withoutRelationships();
        var rc = getRuntimeContext();
        MapStateDescriptor<String, String> seen = new MapStateDescriptor<>("message-ids", Types.STRING, Types.STRING);
        if (!dedupeRetention.isZero()) {
            seen.enableTimeToLive(org.apache.flink.api.common.state.StateTtlConfig.newBuilder(dedupeRetention)
                    .build());
        }
        logged = rc.getMapState(seen);
        tx = new StateTx(
                rc.getMapState(new MapStateDescriptor<>("profile-of-identity", Types.STRING, Types.STRING)),
                rc.getMapState(new MapStateDescriptor<>("identities-of-profile", Types.STRING, Types.STRING)),
                rc.getState(new ValueStateDescriptor<>("next-seq", Types.LONG)),
                logged,
                rc.getMapState(new MapStateDescriptor<>("absorbed-into-profile", Types.STRING, Types.STRING)),
                rc.getMapState(new MapStateDescriptor<>("erased-names", Types.STRING, Types.BOOLEAN)));
        erasedAny = rc.getState(new ValueStateDescriptor<>("erased-any", Types.BOOLEAN));
        waiting = rc.getMapState(
                new MapStateDescriptor<>("waiting", Types.LONG, Types.LIST(TypeInformation.of(LogRecord.class))));
        newestOfPartition = rc.getMapState(new MapStateDescriptor<>("newest-of-partition", Types.INT, Types.LONG));
        appliedThrough = rc.getState(new ValueStateDescriptor<>("applied-through", Types.LONG));
        lastArrival = new HashMap<>();
    }

    @Override
    public void processElement(LogRecord r, Context ctx, Collector<Change> out) throws Exception {
        index(ctx);
        long now = ctx.timerService().currentProcessingTime();
        lastArrival.put(r.partition, now);
        Long newest = newestOfPartition.get(r.partition);
        if (newest == null || r.receivedAt > newest) newestOfPartition.put(r.partition, r.receivedAt);
        Long applied = appliedThrough.value();
        if (applied != null && r.receivedAt <= applied) {
            apply(r, ctx, out); // behind the frontier: its place in the order has passed
            return;
        }
        List<LogRecord> at = waiting.get(r.receivedAt);
        if (at == null) at = new ArrayList<>(1);
        at.add(r);
        waiting.put(r.receivedAt, at);
        due.add(r.receivedAt);
        release(frontier(now, false), ctx, out);
        if (!due.isEmpty() && idleness > 0) ctx.timerService().registerProcessingTimeTimer(now + idleness);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Change> out) throws Exception {
        index(ctx);
        if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.EVENT_TIME) {
            release(Long.MAX_VALUE, ctx, out); // the end of a bounded input
        } else {
            release(frontier(ctx.timerService().currentProcessingTime(), true), ctx, out);
        }
    }

    /** The newest receipt time every partition has passed, less the allowed out-of-orderness. */
    private long frontier(long now, boolean skipIdle) throws Exception {
        long min = Long.MAX_VALUE;
        boolean any = false;
        for (int p = 0; p < partitions; p++) {
            Long arrived = lastArrival.get(p);
            if (skipIdle && (arrived == null || now - arrived >= idleness)) continue;
            Long newest = newestOfPartition.get(p);
            if (newest == null) return Long.MIN_VALUE;
            min = Math.min(min, newest);
            any = true;
        }
        // every partition silent for the idleness: nothing can arrive to order the waiting records
        // against, so all of them go (a later record behind them is applied at once, as any late one)
        if (!any && skipIdle) return Long.MAX_VALUE;
        return any ? min - outOfOrderness : Long.MIN_VALUE;
    }

    private void release(long frontier, Context ctx, Collector<Change> out) throws Exception {
        while (!due.isEmpty() && due.first() <= frontier) {
            long t = due.pollFirst();
            List<LogRecord> records = waiting.get(t);
            waiting.remove(t);
            records.sort(Comparator.comparing((LogRecord r) -> r.messageId));
            for (LogRecord r : records) apply(r, ctx, out);
            appliedThrough.update(t);
        }
    }

    /** Rebuilds the in-memory index of waiting receipt times after a restore; registers the end-of-input timer. */
    private void index(Context ctx) throws Exception {
        if (due != null) return;
        due = new TreeSet<>();
        for (Long t : waiting.keys()) due.add(t);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
    }

    private void apply(LogRecord r, Context ctx, Collector<Change> out) throws Exception {
        if (logged.contains(r.messageId)) return; // a resent call: the first in the log's order was applied
        if (Boolean.TRUE.equals(erasedAny.value()) && logged.contains(StateTx.erasedMessage(r.messageId))) {
            return; // a resent copy of an erased person's call, dropped as on the single node
        }
        if (r.erasure) {
            logged.put(r.messageId, ""); // a command is logged under no profile
            erase(r, ctx, out);
            return;
        }
        // the Pipeline logs every call it applies: StateTx.append records its messageId with its profile
        SegmentCall call = LogCodec.decode(r.body);
        long seq = tx.nextSeq();
        pipeline.apply(tx, List.of(call), List.of(r.body));
        StateTx.Merge merge = tx.takeMerge();
        fusion.store.Tx.LoggedEvent entry = tx.takeLogged();
        byte[] ops = tx.takeOps();
        if (merge == null && !entry.scored()) {
            out.collect(new Change(seq, r.partition, r.offset, ops)); // nothing for the engine stage
            return;
        }
        out.collect(new Change(seq, r.partition, r.offset, ops, null, Change.IDENTITIES));
        if (merge != null && !merge.survivor().equals(entry.profile())) {
            throw new IllegalStateException("call " + r.messageId + " merged " + merge.absorbed() + " into "
                    + merge.survivor() + " but was logged under " + entry.profile());
        }
        // the survivor's record first: a subtask that has seen any record numbered seq has seen it (Score.take)
        ctx.output(
                ROUTED,
                Routed.score(
                        seq,
                        entry.profile(),
                        merge == null ? null : merge.absorbed(),
                        merge == null ? null : merge.reason(),
                        merge == null ? 0 : merge.at().toEpochMilli(),
                        r.messageId,
                        entry.scored() ? entry.body() : null));
        if (merge != null) ctx.output(ROUTED, Routed.release(seq, merge.absorbed(), merge.survivor()));
    }

    /**
     * An erasure command at its place in the log's order: the person leaves the job's state
     * ({@link StateTx#erase}) and the change tells the sink to delete their rows, in the same
     * transaction as the log position. Calls before it in the order were applied with them; calls
     * after it that use one of their ids are new, as on the single node after an erasure.
     */
    private void erase(LogRecord r, Context ctx, Collector<Change> out) {
        ErasureCommand command = ErasureCommand.decode(r.body);
        Set<String> names = new LinkedHashSet<>();
        names.add(command.profile());
        names.addAll(command.ids());
        Optional<String> profile = tx.profileToErase(command.profile(), command.ids());
        profile.ifPresent(p -> names.addAll(tx.erase(p)));
        tx.forget(names);
        try {
            erasedAny.update(true);
        } catch (Exception e) {
            throw new IllegalStateException("writing job state", e);
        }
        long seq = tx.reserveSeq();
        Ops ops = new Ops();
        ops.erase(profile.orElse(command.profile()), names, command.actor(), command.receivedAt());
        out.collect(new Change(seq, r.partition, r.offset, ops.toBytes()));
        // the engine stage forgets their relationship states (those of profiles merged into them moved there before)
        profile.ifPresent(p -> ctx.output(ROUTED, Routed.erase(seq, p)));
    }
}
