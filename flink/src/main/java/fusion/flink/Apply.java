package fusion.flink;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts the de-duplicated records into the log's order and applies each with the store's own
 * {@link Pipeline} (identity resolution, mapping, merges, consent, the engine) over
 * {@link StateTx}, emitting one {@link Change} per record.
 *
 * <p>The order is (receivedAt, messageId): records wait in state until the watermark (the
 * smallest receivedAt every partition has passed, less the allowed lateness) passes their
 * receipt time, then go out in that order, which depends on the records alone, not on how the
 * partitions' reads interleave, so a restart from a checkpoint applies them in the same order
 * again. A record that arrives behind the watermark (later than the allowed out-of-orderness)
 * is applied at once, in arrival order.
 */
final class Apply extends KeyedProcessFunction<Integer, LogRecord, Change> {
    private final Map<String, String> model;
    private final String defaultBrand;
    private transient Pipeline pipeline;
    private transient StateTx tx;
    private transient MapState<Long, List<LogRecord>> waiting;

    Apply(Map<String, String> model, String defaultBrand) {
        this.model = new HashMap<>(model);
        this.defaultBrand = defaultBrand;
    }

    @Override
    public void open(OpenContext context) {
        pipeline = new Pipeline(new Engine(ModelConfig.of(model)), SegmentMapping.standard(defaultBrand));
        var rc = getRuntimeContext();
        tx = new StateTx(
                rc.getMapState(new MapStateDescriptor<>("profile-of-identity", Types.STRING, Types.STRING)),
                rc.getMapState(new MapStateDescriptor<>("identities-of-profile", Types.STRING, Types.STRING)),
                rc.getMapState(new MapStateDescriptor<>("relationships-of-party", Types.STRING,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)),
                rc.getState(new ValueStateDescriptor<>("next-seq", Types.LONG)));
        waiting = rc.getMapState(new MapStateDescriptor<>("waiting", Types.LONG,
                Types.LIST(TypeInformation.of(LogRecord.class))));
    }

    @Override
    public void processElement(LogRecord r, Context ctx, Collector<Change> out) throws Exception {
        if (r.receivedAt <= ctx.timerService().currentWatermark()) {
            apply(r, out);
            return;
        }
        List<LogRecord> at = waiting.get(r.receivedAt);
        if (at == null) {
            at = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(r.receivedAt);
        }
        at.add(r);
        waiting.put(r.receivedAt, at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Change> out) throws Exception {
        List<LogRecord> due = waiting.get(timestamp);
        if (due == null) return;
        waiting.remove(timestamp);
        due.sort(Comparator.comparing((LogRecord r) -> r.messageId));
        for (LogRecord r : due) apply(r, out);
    }

    private void apply(LogRecord r, Collector<Change> out) {
        SegmentCall call = LogCodec.decode(r.body);
        long seq = tx.nextSeq();
        pipeline.apply(tx, List.of(call), List.of(r.body));
        out.collect(new Change(seq, r.partition, r.offset, tx.takeOps()));
    }
}
