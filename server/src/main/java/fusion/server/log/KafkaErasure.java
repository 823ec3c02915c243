package fusion.server.log;

import fusion.store.ErasureCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A person's erasure, log side: every record that is theirs (keyed by one of their ids) or names
 * them (one of their ids as a JSON string anywhere in the record, a co-party for instance) leaves
 * Kafka's retained log. Kafka cannot delete single records of a partition, only its prefix
 * ({@code DeleteRecords} moves the partition's log start offset), so the partition is cut just
 * after the person's last record there, once the job has read past it ({@code log_progress}); the
 * records of others that go with the prefix were already applied to the serving tables, and the
 * job's state covers them from its checkpoints. Why not a compacted topic or crypto-shredding:
 * docs/SCALE-OUT.md.
 */
public final class KafkaErasure {
    private KafkaErasure() {}

    /** Scans, waits for the job to pass the person's last record in each partition, then cuts. */
    static LogErasure erase(
            KafkaUrl url, Admin admin, JobLag.Progress progress, Collection<String> names, Duration wait) {
        Map<Integer, Long> last = lastRecordsOf(url, Set.copyOf(names));
        long deadline = System.nanoTime() + wait.toNanos();
        Map<Integer, Long> pending = new TreeMap<>();
        while (true) {
            pending.clear();
            Map<Integer, Long> read = progress.nextOffsets(url.topic());
            last.forEach((p, offset) -> {
                if (read.getOrDefault(p, 0L) <= offset) pending.put(p, offset);
            });
            if (pending.isEmpty() || System.nanoTime() > deadline) break;
            try {
                Thread.sleep(200); // a poll interval for the job's progress
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogUnavailable("interrupted while waiting for the job to pass the erased records", e);
            }
        }
        Map<Integer, Long> cutAt = new TreeMap<>();
        last.forEach((p, offset) -> {
            if (!pending.containsKey(p)) cutAt.put(p, offset + 1);
        });
        cut(url, admin, cutAt);
        return new LogErasure(cutAt, pending);
    }

    /**
     * Moves each partition's log start offset to the given offset ({@code DeleteRecords}). Kafka
     * never moves it backwards, so cutting again, or behind a later cut, changes nothing.
     */
    static void cut(KafkaUrl url, Admin admin, Map<Integer, Long> before) {
        if (before.isEmpty()) return;
        Map<TopicPartition, RecordsToDelete> cut = new java.util.LinkedHashMap<>();
        before.forEach((p, o) -> cut.put(new TopicPartition(url.topic(), p), RecordsToDelete.beforeOffset(o)));
        try {
            admin.deleteRecords(cut).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LogUnavailable("cannot delete the erased records from " + url, e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailable("deleting the erased records from " + url + " took over 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailable("interrupted while deleting the erased records", e);
        }
    }

    /**
     * The profile and ids named by the erasure command at {@code partition}/{@code offset}, or
     * empty when that record is no longer in the log (retention or a cut removed it).
     */
    static Optional<Set<String>> commandNames(KafkaUrl url, int partition, long offset) {
        TopicPartition tp = new TopicPartition(url.topic(), partition);
        try (var c = new KafkaConsumer<byte[], byte[]>(consumerConfig(url))) {
            c.assign(List.of(tp));
            long start = c.beginningOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
            if (start > offset) return Optional.empty();
            c.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() > offset) return Optional.empty();
                    if (r.offset() == offset) {
                        ErasureCommand command = ErasureCommand.decode(new String(r.value(), StandardCharsets.UTF_8));
                        Set<String> names = new java.util.LinkedHashSet<>(command.ids());
                        names.add(command.profile());
                        return Optional.of(names);
                    }
                }
                if (c.position(tp) > offset) return Optional.empty();
            }
            throw new LogUnavailable("reading the erasure command at " + tp + "@" + offset + " took over 30 s", null);
        }
    }

    /**
     * The job's handoff topic ({@code <topic>.handoff.<group>}, docs/SCALE-OUT.md), if exactly one
     * exists: the server's store is written by one job, whose handoff topic that is. With none (no
     * keyed job ran) or several (jobs of several groups on one topic) nothing is cut there.
     */
    static Optional<String> handoffTopic(KafkaUrl url, Admin admin) {
        try {
            List<String> found = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(url.topic() + ".handoff."))
                    .sorted()
                    .toList();
            return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
        } catch (ExecutionException e) {
            throw new LogUnavailable("cannot list the topics of " + url, e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailable("listing the topics of " + url + " took over 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailable("interrupted while listing the topics of " + url, e);
        }
    }

    /**
     * The merge seq of a handoff record ({@code fusion.flink.Handoff}: version byte 1, then the
     * seq as a long), or -1 for a cut marker (version byte 2, then the bound as a long).
     */
    static long handoffSeq(byte[] value) {
        if (value == null || value.length < 1 + Long.BYTES) {
            throw new IllegalStateException("a handoff record of " + (value == null ? 0 : value.length) + " bytes");
        }
        if (value[0] == 2) return -1;
        if (value[0] != 1) throw new IllegalStateException("unknown handoff record version " + value[0]);
        long seq = 0;
        for (int i = 1; i <= Long.BYTES; i++) seq = (seq << 8) | (value[i] & 0xff);
        return seq;
    }

    /** Reads the handoff topic's partition 0 from its log start up to {@code before} (its end when -1). */
    static void readHandoffs(KafkaUrl url, String topic, long before, java.util.function.ObjLongConsumer<byte[]> each) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (var c = new KafkaConsumer<byte[], byte[]>(consumerConfig(url))) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
            long stop = before < 0 ? end : Math.min(before, end);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (c.position(tp, Duration.ofSeconds(10)) < stop) {
                if (System.nanoTime() > deadline)
                    throw new LogUnavailable("scanning " + topic + " took over 10 min", null);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() < stop) each.accept(r.value(), r.offset());
                }
            }
        }
    }

    /** The offset of the last handoff record of a merge at or before {@code seq}, or -1 when there is none. */
    static long lastHandoffThrough(KafkaUrl url, String topic, long seq) {
        long[] last = {-1};
        readHandoffs(url, topic, -1, (value, offset) -> {
            long s = handoffSeq(value);
            if (s >= 0 && s <= seq) last[0] = Math.max(last[0], offset);
        });
        return last[0];
    }

    /** Whether every handoff record now before {@code before} is of a merge at or before {@code seq}. */
    static boolean handoffsThrough(KafkaUrl url, String topic, long before, long seq) {
        boolean[] all = {true};
        readHandoffs(url, topic, before, (value, offset) -> {
            if (handoffSeq(value) > seq) all[0] = false;
        });
        return all[0];
    }

    /**
     * Writes a cut marker with {@code bound} (the job's committed seq, at or above every merge the
     * cut removes: the job reads it when its position falls below the cut, see
     * {@code fusion.flink.Score}), then cuts the handoff topic before {@code before}.
     */
    static void cutHandoffs(KafkaUrl url, Admin admin, String topic, long before, long bound) {
        byte[] marker = java.nio.ByteBuffer.allocate(1 + Long.BYTES)
                .put((byte) 2)
                .putLong(bound)
                .array();
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                p,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, null, marker))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LogUnavailable("cannot write the cut marker to " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailable("writing the cut marker to " + topic + " took over 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailable("interrupted while writing the cut marker to " + topic, e);
        }
        try {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(before)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new LogUnavailable("cannot delete the erased handoffs from " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailable("deleting the erased handoffs from " + topic + " took over 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailable("interrupted while deleting the erased handoffs", e);
        }
    }

    private static Properties consumerConfig(KafkaUrl url) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a cut meanwhile: what it removed is gone anyway
        p.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "fusion-erasure-" + ProcessHandle.current().pid());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Partition to the offset of the last record that is the person's or names them. */
    static Map<Integer, Long> lastRecordsOf(KafkaUrl url, Set<String> names) {
        List<byte[]> quoted = new ArrayList<>();
        for (String n : names) {
            quoted.add(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                    .quoteAsUTF8(n));
        }
        Map<Integer, Long> last = new TreeMap<>();
        try (var c = new KafkaConsumer<byte[], byte[]>(consumerConfig(url))) {
            List<TopicPartition> parts = c.partitionsFor(url.topic(), Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(url.topic(), i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(10)) < ends.get(tp))) {
                if (System.nanoTime() > deadline)
                    throw new LogUnavailable("scanning " + url + " took over 10 min", null);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))
                            && (isTheirs(r.key(), names) || names(r.value(), quoted))) {
                        last.merge(r.partition(), r.offset(), Math::max);
                    }
                }
            }
        }
        return last;
    }

    private static boolean isTheirs(byte[] key, Set<String> names) {
        return key != null && names.contains(new String(key, StandardCharsets.UTF_8));
    }

    /** Whether {@code value} holds one of the names as a JSON string, quotes included. */
    private static boolean names(byte[] value, List<byte[]> quoted) {
        for (byte[] q : quoted) {
            outer:
            for (int i = 1; i + q.length < value.length; i++) {
                if (value[i - 1] != '"' || value[i + q.length] != '"') continue;
                for (int j = 0; j < q.length; j++) {
                    if (value[i + j] != q[j]) continue outer;
                }
                return true;
            }
        }
        return false;
    }

    /**
     * What an erasure did to the log: partitions cut (partition to the new log start offset), and
     * partitions whose cut waits for the job (partition to the person's last offset there): erase
     * again once {@code /health} shows the job past it.
     */
    public record LogErasure(Map<Integer, Long> cut, Map<Integer, Long> pending) {
        public LogErasure {
            cut = Map.copyOf(cut);
            pending = Map.copyOf(pending);
        }
    }
}
