package fusion.flink;

/**
 * One record of the events topic as the job carries it: where it was in Kafka, its messageId
 * and receipt time (the order the job applies records in), and the log record itself (a call, or
 * an erasure command). A Flink
 * POJO (public fields, no-argument constructor), so its state is schema-evolvable.
 */
public final class LogRecord {
    public int partition;
    public long offset;
    public String messageId;
    public long receivedAt;
    public String body;
    /** An erasure command ({@link fusion.store.ErasureCommand}), not a call. */
    public boolean erasure;

    public LogRecord() {}

    LogRecord(int partition, long offset, String messageId, long receivedAt, String body) {
        this.partition = partition;
        this.offset = offset;
        this.messageId = messageId;
        this.receivedAt = receivedAt;
        this.body = body;
    }

    LogRecord(int partition, long offset, String messageId, long receivedAt, String body, boolean erasure) {
        this(partition, offset, messageId, receivedAt, body);
        this.erasure = erasure;
    }
}
