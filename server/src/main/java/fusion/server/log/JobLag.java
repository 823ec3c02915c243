package fusion.server.log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far the job is behind the topic: per partition, the topic's end offset against the next
 * offset the job's sink committed with the serving rows ({@code log_progress}); the lag in
 * records is their difference, and its age is how long ago the oldest call the job has not yet
 * written was received (the record's timestamp is its receipt time). Computed at most once a
 * second however often {@code /health} is asked.
 */
public final class JobLag implements AutoCloseable {
    /** How long one figure is served before it is computed again. */
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    /** The job's committed progress: partition to the next offset it will read. */
    public interface Progress extends AutoCloseable {
        Map<Integer, Long> nextOffsets(String topic);

        @Override
        default void close() {}

        /** The job's progress as its sink records it in PostgreSQL ({@code log_progress}). */
        static Progress postgres(fusion.store.sql.StoreUrl store) {
            var table = new fusion.store.sql.LogProgress(store);
            return new Progress() {
                @Override
                public Map<Integer, Long> nextOffsets(String topic) {
                    return table.nextOffsets(topic);
                }

                @Override
                public void close() {
                    table.close();
                }
            };
        }
    }

    private final KafkaUrl url;
    private final Admin admin;
    private final Progress progress;
    private final Clock clock;
    private KafkaConsumer<byte[], byte[]> peeker;
    private Map<String, Object> last;
    private long lastAt;

    JobLag(KafkaUrl url, Admin admin, Progress progress, Clock clock) {
        this.url = url;
        this.admin = admin;
        this.progress = progress;
        this.clock = clock;
    }

    synchronized Map<String, Object> health() {
        long now = System.nanoTime();
        if (last != null && now - lastAt < FRESH_FOR.toNanos()) return last;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log", url.toString());
        try {
            m.put("lag", lag());
        } catch (RuntimeException e) {
            Map<String, Object> unknown = new LinkedHashMap<>();
            unknown.put("unavailable", e.getMessage());
            m.put("lag", unknown);
        }
        last = m;
        lastAt = now;
        return m;
    }

    private Map<String, Object> lag() {
        Map<Integer, Long> ends = endOffsets();
        Map<Integer, Long> next = progress.nextOffsets(url.topic());
        long records = 0;
        Map<TopicPartition, Long> behind = new LinkedHashMap<>();
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (var e : ends.entrySet()) {
            long done = next.getOrDefault(e.getKey(), 0L);
            long lag = Math.max(0, e.getValue() - done);
            records += lag;
            if (lag > 0) behind.put(new TopicPartition(url.topic(), e.getKey()), done);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("partition", e.getKey());
            p.put("endOffset", e.getValue());
            p.put("nextOffset", done);
            p.put("records", lag);
            partitions.add(p);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records", records);
        m.put("seconds", records == 0 ? 0.0 : ageSeconds(behind));
        m.put("partitions", partitions);
        return m;
    }

    private Map<Integer, Long> endOffsets() {
        try {
            var description = admin.describeTopics(List.of(url.topic()))
                    .allTopicNames()
                    .get(5, TimeUnit.SECONDS)
                    .get(url.topic());
            Map<TopicPartition, OffsetSpec> ask = new LinkedHashMap<>();
            description
                    .partitions()
                    .forEach(p -> ask.put(new TopicPartition(url.topic(), p.partition()), OffsetSpec.latest()));
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(ask)
                    .all()
                    .get(5, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailable("interrupted while reading the end offsets of " + url, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new LogUnavailable(
                    "cannot read the end offsets of " + url,
                    e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e);
        }
    }

    /** Seconds since the oldest unwritten call was received, from the first record behind in each partition. */
    private Double ageSeconds(Map<TopicPartition, Long> behind) {
        KafkaConsumer<byte[], byte[]> c = peeker();
        c.assign(behind.keySet());
        behind.forEach(c::seek);
        Map<TopicPartition, Long> oldest = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
        while (oldest.size() < behind.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                oldest.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.timestamp());
            }
            oldest.keySet().forEach(tp -> {
                if (c.assignment().contains(tp)) c.pause(List.of(tp));
            });
        }
        c.assign(List.of());
        if (oldest.isEmpty()) return null; // the broker did not answer in time: the records figure stands alone
        long first = oldest.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        return Math.max(
                        0,
                        Duration.between(Instant.ofEpochMilli(first), clock.instant())
                                .toMillis())
                / 1000.0;
    }

    private KafkaConsumer<byte[], byte[]> peeker() {
        if (peeker == null) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // no group: it only looks
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a record past retention: the oldest kept
            p.put(
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "fusion-lag-" + ProcessHandle.current().pid());
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            peeker = new KafkaConsumer<>(p);
        }
        return peeker;
    }

    @Override
    public synchronized void close() {
        if (peeker != null) peeker.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
        admin.close(Duration.ofSeconds(1));
        progress.close();
    }
}
