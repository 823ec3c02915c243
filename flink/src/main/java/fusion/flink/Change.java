package fusion.flink;

/**
 * What applying one logged call changed, for the sink: its position in the job's log order
 * ({@code seq}, the single node's events.seq), where it came from in Kafka, and the writes
 * ({@link Ops}) in order.
 *
 * <p>A call's writes come in up to two halves from two stages: the ordered stage's (the log,
 * identities, merges of profiles, consent, traits, brands; {@link #IDENTITIES} when the engine
 * stage adds a half, {@link #WHOLE} when it does not) and the engine stage's ({@link #ENGINE}:
 * relationship states and ledger entries of the call's profile). The sink joins them by
 * {@code seq} into one {@link #WHOLE} change whose {@link #engineOps} are replayed after {@link #ops}.
 */
public final class Change {
    /** Every write of the call: nothing comes from the engine stage. */
    static final byte WHOLE = 0;
    /** The ordered stage's half; the engine stage's half of the same seq follows. */
    static final byte IDENTITIES = 1;
    /** The engine stage's half (in {@link #ops}); partition and offset are not known there (-1). */
    static final byte ENGINE = 2;

    public long seq;
    public int partition;
    public long offset;
    public byte[] ops;
    /** The engine stage's writes of a joined change, replayed after {@link #ops}; null when there are none. */
    public byte[] engineOps;

    public byte part;

    public Change() {}

    Change(long seq, int partition, long offset, byte[] ops) {
        this(seq, partition, offset, ops, null, WHOLE);
    }

    Change(long seq, int partition, long offset, byte[] ops, byte[] engineOps, byte part) {
        this.seq = seq;
        this.partition = partition;
        this.offset = offset;
        this.ops = ops;
        this.engineOps = engineOps;
        this.part = part;
    }

    /** The engine stage's half of change {@code seq}. */
    static Change engine(long seq, byte[] ops) {
        return new Change(seq, -1, -1, ops, null, ENGINE);
    }
}
