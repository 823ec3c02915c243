package fusion.flink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a record of the events topic: its value is exactly a single node's log record
 * ({@link fusion.store.LogCodec}); only its messageId and receivedAt are read here (a streaming
 * scan, no tree), and its type, which tells an erasure command ({@link fusion.store.ErasureCommand})
 * from a call; the rest travels as text to the stage that applies it.
 */
final class LogRecordSchema implements KafkaRecordDeserializationSchema<LogRecord> {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<LogRecord> out) throws IOException {
        if (record.value() == null) return; // a tombstone: nothing to apply
        String body = new String(record.value(), StandardCharsets.UTF_8);
        String messageId = null;
        String receivedAt = null;
        String type = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("log record at " + where(record) + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if ("messageId".equals(field)) messageId = p.getText();
                else if ("receivedAt".equals(field)) receivedAt = p.getText();
                else if ("type".equals(field)) type = p.getText();
                else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) p.skipChildren();
            }
        }
        if (messageId == null || receivedAt == null) {
            throw new IOException(
                    "log record at " + where(record) + " lacks " + (messageId == null ? "messageId" : "receivedAt"));
        }
        out.collect(new LogRecord(
                record.partition(),
                record.offset(),
                messageId,
                Instant.parse(receivedAt).toEpochMilli(),
                body,
                fusion.store.ErasureCommand.is(type)));
    }

    private static String where(ConsumerRecord<?, ?> r) {
        return r.topic() + "/" + r.partition() + "@" + r.offset();
    }

    @Override
    public TypeInformation<LogRecord> getProducedType() {
        return TypeInformation.of(LogRecord.class);
    }
}
