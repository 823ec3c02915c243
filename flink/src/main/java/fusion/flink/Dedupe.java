package fusion.flink;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * messageId de-duplication, keyed by messageId: the first record with an id passes, later ones
 * (an SDK's retry, a producer's resend) are dropped, as the single node skips a logged id. A
 * retry carries the same userId/anonymousId, so it has the same Kafka key and partition and
 * arrives after the first: which one passes does not depend on timing. The seen-flag expires
 * after {@code retention} (zero: never), which must exceed the SDKs' retry horizon.
 */
final class Dedupe extends KeyedProcessFunction<String, LogRecord, LogRecord> {
    private final Duration retention;
    private transient ValueState<Boolean> seen;

    Dedupe(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
        if (!retention.isZero()) {
            d.enableTimeToLive(StateTtlConfig.newBuilder(retention).build());
        }
        seen = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(LogRecord r, Context ctx, Collector<LogRecord> out) throws Exception {
        if (seen.value() != null) return;
        seen.update(Boolean.TRUE);
        out.collect(r);
    }
}
