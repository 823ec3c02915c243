package fusion.server.activation;

import fusion.server.activation.ActivationService.Attempt;
import fusion.store.AudienceRecords.OutboxRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka destinations' producers, one per destination (idempotent, {@code acks=all}), and
 * what a send of outbox rows came to: an {@link Attempt} per row, acknowledged or not. What to do
 * with a failure (retry, dead letter, postpone) is the {@link ActivationService}'s.
 */
final class KafkaSender implements AutoCloseable {
    private final Duration timeout;
    private final Map<String, KafkaProducer<byte[], byte[]>> producers = new ConcurrentHashMap<>();

    KafkaSender(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Produces the rows to the destination's topic (keyed by profile, the idempotency key, event and
     * audience in headers) and waits for each acknowledgement: one attempt per row, in order, fewer
     * only when interrupted.
     */
    List<Attempt> send(Destination d, List<OutboxRow> rows) {
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = producer(d);
        } catch (RuntimeException e) {
            Attempt refused = new Attempt(false, 0, "cannot make a producer: " + e.getMessage(), true, null);
            return rows.stream().map(r -> refused).toList();
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (OutboxRow row : rows) {
            ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(
                    d.topic(),
                    row.profile() == null ? null : row.profile().getBytes(StandardCharsets.UTF_8),
                    row.body().getBytes(StandardCharsets.UTF_8));
            rec.headers().add("Idempotency-Key", row.key().getBytes(StandardCharsets.UTF_8));
            rec.headers().add("Fusion-Event", row.kind().getBytes(StandardCharsets.UTF_8));
            rec.headers().add("Fusion-Audience", d.audience().getBytes(StandardCharsets.UTF_8));
            try {
                sent.add(producer.send(rec));
            } catch (RuntimeException e) {
                sent.add(CompletableFuture.failedFuture(e));
            }
        }
        producer.flush();
        List<Attempt> attempts = new ArrayList<>(rows.size());
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
                attempts.add(new Attempt(true, 0, null, false, null));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                attempts.add(new Attempt(
                        false,
                        0,
                        cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                        cause instanceof RetriableException,
                        null));
            } catch (TimeoutException e) {
                attempts.add(new Attempt(false, 0, "no acknowledgement within " + timeout.multipliedBy(2), true, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return attempts;
    }

    /** Produces one test record and waits for its acknowledgement; says where it was written. */
    String test(Destination d, String key, String body)
            throws ExecutionException, TimeoutException, InterruptedException {
        ProducerRecord<byte[], byte[]> rec =
                new ProducerRecord<>(d.topic(), null, body.getBytes(StandardCharsets.UTF_8));
        rec.headers().add("Idempotency-Key", key.getBytes(StandardCharsets.UTF_8));
        rec.headers().add("Fusion-Event", "test".getBytes(StandardCharsets.UTF_8));
        RecordMetadata meta = producer(d).send(rec).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        return "acknowledged at " + meta.topic() + "-" + meta.partition() + "@" + meta.offset();
    }

    /** Closes the destination's producer (it was deleted or its configuration replaced). */
    void forget(String destination) {
        KafkaProducer<byte[], byte[]> p = producers.remove(destination);
        if (p != null) p.close(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        for (KafkaProducer<byte[], byte[]> p : producers.values()) p.close(Duration.ofSeconds(5));
        producers.clear();
    }

    private KafkaProducer<byte[], byte[]> producer(Destination d) {
        return producers.computeIfAbsent(d.id(), k -> {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, d.bootstrap());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis() + 5_000));
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "fusion-activation-" + d.id());
            return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        });
    }
}
