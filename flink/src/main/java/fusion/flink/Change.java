package fusion.flink;

/**
 * What applying one logged call changed, for the sink: its position in the job's log order
 * ({@code seq}, the single node's events.seq), where it came from in Kafka, and the writes
 * ({@link Ops}) in order.
 */
public final class Change {
    public long seq;
    public int partition;
    public long offset;
    public byte[] ops;

    public Change() {}

    Change(long seq, int partition, long offset, byte[] ops) {
        this.seq = seq;
        this.partition = partition;
        this.offset = offset;
        this.ops = ops;
    }
}
