package fusion.server.log;

import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.store.ErasureCommand;
import fusion.store.IngestResult;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import fusion.store.sql.LogCuts;
import fusion.store.sql.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The stateless ingest tier's log: each accepted call goes to a Kafka topic as exactly the record
 * the single node writes to its {@code events} log ({@link LogCodec#encode}), keyed by its userId
 * (else its anonymousId) so one person's calls stay in one partition, in order. The producer is
 * idempotent with {@code acks=all}: a batch is acknowledged only when the broker has every one of
 * its records on all in-sync replicas; if any is not acknowledged within the delivery timeout,
 * the whole batch is answered 503 and the client sends it again. Records of that batch that did
 * land are then in the topic twice, which the job's messageId de-duplication absorbs: the ingest
 * tier keeps no state, so it drops only duplicates within one batch.
 */
public final class KafkaLog implements IngestLog {
    /** How long {@link #open} waits for the cluster to describe the topic. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaUrl url;
    private final Pipeline pipeline;
    private final KafkaProducer<byte[], byte[]> producer;
    private final JobLag lag;
    private final Admin admin;
    private final JobLag.Progress progress;
    private final Duration deliveryTimeout;
    private final ClusterErasures erasures;

    private KafkaLog(
            KafkaUrl url,
            Pipeline pipeline,
            KafkaProducer<byte[], byte[]> producer,
            JobLag lag,
            Admin admin,
            JobLag.Progress progress,
            Duration deliveryTimeout,
            LogCuts cuts,
            java.time.Clock clock) {
        this.url = url;
        this.pipeline = pipeline;
        this.producer = producer;
        this.lag = lag;
        this.admin = admin;
        this.progress = progress;
        this.deliveryTimeout = deliveryTimeout;
        this.erasures = new ClusterErasures(
                url,
                progress,
                cuts,
                new ClusterErasures.Log() {
                    @Override
                    public java.util.Optional<Set<String>> commandNames(int partition, long offset) {
                        return KafkaErasure.commandNames(url, partition, offset);
                    }

                    @Override
                    public Map<Integer, Long> lastRecordsOf(Set<String> names) {
                        return KafkaErasure.lastRecordsOf(url, names);
                    }

                    @Override
                    public void cut(Map<Integer, Long> before) {
                        KafkaErasure.cut(url, admin, before);
                    }

                    @Override
                    public long lastHandoffThrough(long seq) {
                        return KafkaErasure.handoffTopic(url, admin)
                                .map(t -> KafkaErasure.lastHandoffThrough(url, t, seq))
                                .orElse(-1L);
                    }

                    @Override
                    public boolean handoffsThrough(long before, long seq) {
                        return KafkaErasure.handoffTopic(url, admin)
                                .map(t -> KafkaErasure.handoffsThrough(url, t, before, seq))
                                .orElse(true);
                    }

                    @Override
                    public void cutHandoffs(long before, long bound) {
                        KafkaErasure.handoffTopic(url, admin)
                                .ifPresent(t -> KafkaErasure.cutHandoffs(url, admin, t, before, bound));
                    }
                },
                clock);
    }

    /**
     * Connects to {@code url}'s cluster and checks that its topic exists (a missing topic or an
     * unreachable cluster stops the start, naming it), then opens the producer. {@code store}
     * holds the serving tables the job writes: how far the job has come ({@code log_progress}),
     * for {@link #health}, and the log cuts erasures still owe ({@code log_cuts}), which this
     * server finishes whichever server of the cluster took them.
     *
     * @param deliveryTimeout how long a batch may wait for the broker's acknowledgement before it
     *                        is answered 503 (at least 1 s)
     */
    public static KafkaLog open(
            KafkaUrl url, Pipeline pipeline, StoreUrl store, Duration deliveryTimeout, java.time.Clock clock) {
        if (deliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidInput("log-timeout", "expected at least 1 s but was " + deliveryTimeout);
        }
        JobLag.Progress progress = JobLag.Progress.postgres(store);
        Admin admin = Admin.create(adminConfig(url));
        KafkaProducer<byte[], byte[]> producer = null;
        try {
            int partitions = partitions(admin, url);
            producer = new KafkaProducer<>(producerConfig(url, deliveryTimeout));
            JobLag lag = new JobLag(url, admin, progress, clock);
            org.slf4j.LoggerFactory.getLogger(KafkaLog.class)
                    .info("producing accepted calls to {} ({} partitions)", url, partitions);
            return new KafkaLog(
                    url, pipeline, producer, lag, admin, progress, deliveryTimeout, new LogCuts(store), clock);
        } catch (RuntimeException e) {
            if (producer != null) producer.close(Duration.ZERO);
            admin.close(Duration.ZERO);
            progress.close();
            throw e;
        }
    }

    private static int partitions(Admin admin, KafkaUrl url) {
        try {
            return admin.describeTopics(List.of(url.topic()))
                    .allTopicNames()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(url.topic())
                    .partitions()
                    .size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new InvalidInput(
                        "log",
                        "the topic '" + url.topic() + "' does not exist on " + url.bootstrapServers()
                                + "; create it first (docs/SCALE-OUT.md says with which settings)");
            }
            throw new LogUnavailable("cannot describe " + url, e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailable(
                    "no Kafka broker of " + url.bootstrapServers() + " answered within " + START_TIMEOUT.toSeconds()
                            + " s",
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailable("interrupted while describing " + url, e);
        }
    }

    static Properties adminConfig(KafkaUrl url) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) START_TIMEOUT.toMillis());
        p.put(
                AdminClientConfig.CLIENT_ID_CONFIG,
                "fusion-ingest-admin-" + ProcessHandle.current().pid());
        return p;
    }

    private static Properties producerConfig(KafkaUrl url, Duration deliveryTimeout) {
        int delivery = (int) deliveryTimeout.toMillis();
        int request = Math.max(500, delivery / 2);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps in order
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2); // concurrent requests' batches share a produce request
        // a request's calls (500 of ~400 bytes) in one batch per partition rather than Kafka's 16 KB
        // slices: fewer batches for the producer's I/O thread to build, send and complete
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) request); // send() waiting for metadata or buffer
        p.put(
                ProducerConfig.CLIENT_ID_CONFIG,
                "fusion-ingest-" + ProcessHandle.current().pid());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** The record's key: whose call it is, so one person's calls keep their order in one partition. */
    public static byte[] key(SegmentCall call) {
        String who = call.userId() != null ? call.userId() : call.anonymousId();
        return who.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public IngestResult append(List<SegmentCall> calls) {
        // as the single node: a call that does not fit refuses the batch, naming it; its reading of
        // each call gives the response's counts (mapping each call again cost a sixth of a request)
        Pipeline.Checked checked = pipeline.check(calls);
        Set<String> inBatch = new HashSet<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>(calls.size());
        int duplicates = 0, scored = 0, unknown = 0;
        try {
            for (int i = 0; i < calls.size(); i++) {
                SegmentCall call = calls.get(i);
                if (!inBatch.add(call.messageId())) {
                    duplicates++;
                    continue;
                }
                if (checked.scored().get(i)) scored++; // counts only: the job resolves and scores
                if (checked.unknownEvents().get(i)) unknown++;
                byte[] value = LogCodec.encode(call).getBytes(StandardCharsets.UTF_8);
                sent.add(producer.send(new ProducerRecord<>(
                        url.topic(), null, call.receivedAt().toEpochMilli(), key(call), value)));
            }
        } catch (KafkaException e) {
            throw new LogUnavailable("the batch could not be handed to the producer for " + url, e);
        }
        awaitAcknowledgements(sent);
        return new IngestResult(sent.size(), duplicates, scored, unknown);
    }

    /** Returns when the broker acknowledged every record; throws {@link LogUnavailable} otherwise. */
    private void awaitAcknowledgements(List<Future<RecordMetadata>> sent) {
        long deadline = System.nanoTime() + deliveryTimeout.plusSeconds(2).toNanos();
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new LogUnavailable("Kafka did not acknowledge the batch on " + url, e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailable(
                    "Kafka did not acknowledge the batch on " + url + " within "
                            + deliveryTimeout.plusSeconds(2).toSeconds() + " s",
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailable("interrupted while waiting for Kafka's acknowledgement", e);
        }
    }

    /**
     * Removes from the retained log every record that is the person's or names them, by any of
     * {@code names} (their user and anonymous ids), waiting at most {@code wait} for the job to
     * read past them; see {@link KafkaErasure}. Partitions the job has not passed yet are left as
     * they are and returned as pending.
     */
    public KafkaErasure.LogErasure erase(java.util.Collection<String> names, Duration wait) {
        return KafkaErasure.erase(url, admin, progress, names, wait);
    }

    /**
     * Asks for a person's erasure in the cluster: writes an erasure command ({@link ErasureCommand})
     * into the topic, keyed by one of their ids, and returns once the broker acknowledged it. The
     * job applies it at its place in the log's order (state and serving tables); then any ingest
     * server of the cluster cuts the log ({@link KafkaErasure}; the cut owed is recorded in
     * {@code log_cuts} before this returns) and {@link #erasures} shows it done. Throws
     * {@link LogUnavailable} when the command could not be written (nothing was asked).
     *
     * @param profile the profile as the read API knows it
     * @param ids     its user and anonymous ids as the read API knows them
     */
    public ClusterErasures.Status requestErasure(String profile, List<String> ids, String actor) {
        ErasureCommand command = erasures.command(profile, ids, actor);
        Future<RecordMetadata> sent;
        try {
            sent = producer.send(new ProducerRecord<>(
                    url.topic(),
                    null,
                    command.receivedAt().toEpochMilli(),
                    command.key().getBytes(StandardCharsets.UTF_8),
                    command.encode().getBytes(StandardCharsets.UTF_8)));
        } catch (KafkaException e) {
            throw new LogUnavailable("the erasure command could not be handed to the producer for " + url, e);
        }
        awaitAcknowledgements(List.of(sent));
        RecordMetadata at;
        try {
            at = sent.get(); // acknowledged above: returns at once
        } catch (ExecutionException e) {
            throw new LogUnavailable("Kafka did not acknowledge the erasure command on " + url, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailable("interrupted while waiting for Kafka's acknowledgement", e);
        }
        return erasures.follow(command, at.partition(), at.offset());
    }

    /** The erasures of the topic, whichever server took them: the last ones done, then those still pending. */
    public List<ClusterErasures.Status> erasures() {
        return erasures.list();
    }

    /**
     * Does now, on the caller's thread, one round of the work the background thread does every
     * {@value ClusterErasures#POLL_MILLIS} ms on pending erasures: for tests and tools that must
     * see it done rather than wait for the thread.
     */
    public void settleErasures() {
        erasures.step();
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> m = new java.util.LinkedHashMap<>(lag.health());
        try {
            m.put("erasures", erasures.health());
        } catch (RuntimeException e) {
            m.put("erasures", Map.of("unavailable", String.valueOf(e.getMessage())));
        }
        return m;
    }

    @Override
    public void close() {
        erasures.close();
        producer.close(Duration.ofSeconds(5));
        lag.close();
    }
}
