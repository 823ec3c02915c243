package fusion.flink;

import fusion.core.consent.ConsentRecord;
import fusion.core.engine.Engine;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.Relationship;
import fusion.core.identity.Identity;
import fusion.core.segment.SegmentMapping;
import fusion.store.LogCodec;
import fusion.store.Pipeline;
import fusion.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The engine stage: keyed by profile, at any parallelism, it keeps each profile's relationship
 * states (keyed state) and applies the relationship half of the store's {@link Pipeline} to what
 * the ordered stage routes to it ({@link Routed}), emitting that half of each change
 * ({@link Change#ENGINE}) for the sink.
 *
 * <p>A merge moves the absorbed profile's states from its key to the survivor's, which may be on
 * another subtask (another machine). Flink 2 has no iterations, so they travel through a Kafka
 * topic, the <em>handoff topic</em>: on {@link Routed#RELEASE} the absorbed key writes its
 * states there ({@link Handoff}) and forgets them; on the merge's {@link Routed#SCORE} the
 * survivor's key waits, holding everything routed to it after the merge in arrival order, until
 * the handoff of that merge arrives; it then moves the states pair by pair
 * ({@link Pipeline#moveRelationships}) and goes on. Every subtask reads the whole topic and takes
 * the records of its key groups. Each key thus applies its operations in the log's order, as
 * the single node does (the ordering argument: docs/SCALE-OUT.md).
 *
 * <p>Exactly once: the handoff producer is flushed before each checkpoint barrier goes on, so a
 * checkpoint that holds a key without its released states also has them in the topic; the
 * consumer's position is operator state, so a restore reads again every handoff its keys had not
 * taken. Handoffs written again by a restarted job are dropped: a handoff is taken only by a key
 * waiting for it or holding its merge, or kept when its merge has not reached this subtask yet.
 */
final class Score extends AbstractStreamOperator<Change>
        implements OneInputStreamOperator<Routed, Change>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    /** How often a subtask with keys waiting for a handoff reads the topic. */
    private static final long POLL_MILLIS = 5;
    /** How long the end of a bounded input waits for the handoffs its keys need. */
    private static final Duration END_WAIT = Duration.ofMinutes(10);

    private final Map<String, String> model;
    private final String defaultBrand;
    private final String bootstrapServers;
    private final String handoffTopic;
    /** Where a job that restores no state starts reading the handoff topic: its end when the job was built. */
    private final long startOffset;

    private transient Pipeline pipeline;
    /** This profile's relationship states, in brand order ({@link Ops#relationships}). */
    private transient ValueState<byte[]> relationships;
    /** The seq of the merge whose handoff this key waits for. */
    private transient ValueState<Long> awaiting;
    /** What was routed to this key while it waited, in arrival order (the waiting merge first). */
    private transient ListState<Routed> held;
    /** Handoffs taken from the topic and not yet applied, by the merge's seq. */
    private transient MapState<Long, byte[]> handedOff;

    private transient ListState<Long> positionState;
    private transient ListState<Long> routedThroughState;
    /** The highest seq routed to this subtask: the ordered stage sends in seq order over one channel. */
    private transient long routedThrough;

    /**
     * After this subtask's read position fell below a cut of the topic: the highest bound of the
     * cut markers then retained; a merge at or before it cannot get its handoff any more.
     */
    private transient long cutThrough;

    private transient Set<String> waitingKeys;
    private transient boolean polling;
    private transient long startAt;
    private transient KafkaProducer<byte[], byte[]> producer;
    private transient KafkaConsumer<byte[], byte[]> consumer;
    private transient TopicPartition partition;
    private transient AtomicReference<Exception> sendFailure;

    Score(
            Map<String, String> model,
            String defaultBrand,
            String bootstrapServers,
            String handoffTopic,
            long startOffset) {
        this.model = new HashMap<>(model);
        this.defaultBrand = defaultBrand;
        this.bootstrapServers = bootstrapServers;
        this.handoffTopic = handoffTopic;
        this.startOffset = startOffset;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        positionState =
                context.getOperatorStateStore().getListState(new ListStateDescriptor<>("handoff-position", Types.LONG));
        routedThroughState =
                context.getOperatorStateStore().getListState(new ListStateDescriptor<>("routed-through", Types.LONG));
        startAt = startOffset;
        routedThrough = 0;
        if (context.isRestored()) {
            // after a change of parallelism a subtask may get several (or no) entries: the lowest is safe,
            // it only reads some handoffs again (dropped as applied) or keeps a resent one it will not need
            long min = Long.MAX_VALUE;
            for (Long p : positionState.get()) min = Math.min(min, p);
            if (min != Long.MAX_VALUE) startAt = min;
            long through = Long.MAX_VALUE;
            for (Long t : routedThroughState.get()) through = Math.min(through, t);
            if (through != Long.MAX_VALUE) routedThrough = through;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        pipeline = new Pipeline(new Engine(ModelConfig.of(model)), SegmentMapping.standard(defaultBrand));
        var store = getKeyedStateStore();
        relationships = store.getState(
                new ValueStateDescriptor<>("relationships", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        awaiting = store.getState(new ValueStateDescriptor<>("awaiting-handoff", Types.LONG));
        held = store.getListState(new ListStateDescriptor<>("held", TypeInformation.of(Routed.class)));
        handedOff = store.getMapState(new MapStateDescriptor<>(
                "handed-off", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        waitingKeys = new HashSet<>();
        try (Stream<String> keys =
                this.<String>getKeyedStateBackend().getKeys("awaiting-handoff", VoidNamespace.INSTANCE)) {
            keys.forEach(waitingKeys::add);
        }
        sendFailure = new AtomicReference<>();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // not idempotent: a resent handoff is dropped by the survivor's key (take), and an idempotent producer
        // starved of CPU beside a test broker once reset its sequence numbers and had every later batch refused
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
        // a position the topic no longer holds (a restore from a state older than its retention) fails the
        // task, naming the topic, instead of skipping handoffs a key would then wait for without end
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        partition = new TopicPartition(handoffTopic, 0);
        consumer.assign(List.of(partition));
        consumer.seek(partition, startAt);
        schedulePoll();
    }

    @Override
    public void processElement(StreamRecord<Routed> element) throws Exception {
        Routed r = element.getValue();
        routedThrough = Math.max(routedThrough, r.seq);
        if (awaiting.value() != null) {
            held.add(r); // behind a merge still waiting for its handoff
            return;
        }
        handle(r);
    }

    /** Applies {@code r} under the current key, or starts waiting when it is a merge whose handoff has not come. */
    private void handle(Routed r) throws Exception {
        switch (r.kind) {
            case Routed.RELEASE -> {
                byte[] states = relationships.value();
                Handoff h = new Handoff(
                        r.seq, r.survivor, r.profile, states == null ? Ops.relationships(List.of()) : states);
                producer.send(new ProducerRecord<>(handoffTopic, 0, h.key(), h.toBytes()), (meta, e) -> {
                    if (e != null) sendFailure.compareAndSet(null, e);
                });
                forgetKey();
            }
            case Routed.ERASE -> forgetKey();
            case Routed.SCORE -> {
                byte[] handoff = null;
                if (r.absorbed != null) {
                    handoff = handedOff.get(r.seq);
                    if (handoff == null) {
                        if (r.seq <= cutThrough) throw handoffCut(r.seq);
                        awaiting.update(r.seq);
                        held.add(r);
                        waitingKeys.add(key());
                        schedulePoll();
                        return;
                    }
                    handedOff.remove(r.seq);
                }
                score(r, handoff);
            }
            default -> throw new IllegalStateException("unknown routed kind " + r.kind + " at seq " + r.seq);
        }
    }

    private void score(Routed r, byte[] handoff) throws Exception {
        byte[] before = relationships.value();
        Keyed tx = new Keyed(
                r.profile,
                before == null ? new ArrayList<>() : Ops.relationships(before),
                r.absorbed,
                handoff == null ? new ArrayList<>() : Ops.relationships(handoff));
        if (r.absorbed != null) {
            pipeline.moveRelationships(tx, r.profile, r.absorbed, r.reason, Instant.ofEpochMilli(r.at), r.messageId);
        }
        if (r.body != null) {
            pipeline.interaction(LogCodec.decode(r.body), r.profile).ifPresent(i -> pipeline.score(tx, i));
        }
        if (tx.states.isEmpty()) relationships.clear();
        else relationships.update(Ops.relationships(tx.states));
        output.collect(new StreamRecord<>(Change.engine(r.seq, tx.ops.toBytes())));
    }

    /** The key leaves this stage: released to a survivor, or erased. */
    private void forgetKey() {
        relationships.clear();
        handedOff.clear();
        awaiting.clear();
        held.clear();
    }

    private String key() {
        return (String) getCurrentKey();
    }

    /** Reads the handoff topic every few milliseconds while a key of this subtask waits. */
    private void schedulePoll() {
        if (polling || waitingKeys.isEmpty()) return;
        polling = true;
        getProcessingTimeService()
                .registerTimer(getProcessingTimeService().getCurrentProcessingTime() + POLL_MILLIS, t -> {
                    polling = false;
                    poll(Duration.ZERO);
                    schedulePoll();
                });
    }

    private void poll(Duration timeout) throws Exception {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(timeout);
        } catch (OffsetOutOfRangeException e) {
            skipCut();
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) read(record);
    }

    /**
     * The read position is below the topic's log start: an erasure's cut (or retention) removed
     * handoffs this subtask had not read. An ingest server cuts only handoffs of merges the job had
     * committed, and writes a marker with that bound before the cut; every subtask has applied
     * every record up to what the sink committed, so a key here waits for no merge at or before the
     * bound, and no later merge at or before it comes. This reads the retained topic to its end,
     * taking the highest marker's bound, and fails the job (no restarts) when that does not hold: a
     * restore from a state older than the cut, or handoffs lost to retention (no marker).
     */
    private void skipCut() throws Exception {
        consumer.seekToBeginning(List.of(partition));
        long start = consumer.position(partition);
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        long bound = -1;
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading the handoff topic " + handoffTopic + " to offset " + end
                        + " after a cut took over a minute");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                bound = Math.max(bound, Handoff.cutBound(record.value()));
                read(record);
            }
        }
        if (bound < 0) {
            throw new SuppressRestartsException(new IllegalStateException("the handoff topic " + handoffTopic
                    + " now starts at offset " + start + ", past this subtask's read position, and holds no cut marker:"
                    + " retention removed handoffs the job had not read; restore from a later checkpoint or"
                    + " savepoint, or raise the topic's retention.ms"));
        }
        for (String k : List.copyOf(waitingKeys)) {
            setCurrentKey(k);
            Long s = awaiting.value();
            if (s != null && s <= bound) throw handoffCut(s);
        }
        cutThrough = Math.max(cutThrough, bound);
    }

    private SuppressRestartsException handoffCut(long seq) {
        return new SuppressRestartsException(new IllegalStateException("the handoff of the merge at seq " + seq
                + " was cut from the handoff topic " + handoffTopic
                + " (an erasure's cut, past merges at or before seq "
                + cutThrough + "): the job was restored from a state older than the cut; restore from a later"
                + " checkpoint or savepoint (one taken after the erasures were done)"));
    }

    private void read(ConsumerRecord<byte[], byte[]> record) throws Exception {
        if (Handoff.cutBound(record.value()) >= 0) return; // a cut marker
        var task = getRuntimeContext().getTaskInfo();
        Handoff h = Handoff.of(record.value());
        int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(
                h.survivor(), task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
        if (subtask != task.getIndexOfThisSubtask()) return; // another subtask's key
        setCurrentKey(h.survivor());
        take(h);
    }

    /** A handoff for a key of this subtask (the current key). */
    private void take(Handoff h) throws Exception {
        Long waitsFor = awaiting.value();
        if (waitsFor != null && waitsFor == h.seq()) {
            handedOff.put(h.seq(), h.states());
            resume();
        } else if (h.seq() > routedThrough || holds(h.seq())) {
            handedOff.put(h.seq(), h.states()); // its merge has not reached this key yet
        }
        // else: its merge was applied; a copy written again by a restarted job
    }

    private boolean holds(long seq) throws Exception {
        Iterable<Routed> waiting = held.get();
        if (waiting == null) return false;
        for (Routed r : waiting) {
            if (r.seq == seq && r.kind == Routed.SCORE) return true;
        }
        return false;
    }

    /** The awaited handoff is here: applies what the key held, in order, until it has to wait again. */
    private void resume() throws Exception {
        List<Routed> queue = new ArrayList<>();
        for (Routed r : held.get()) queue.add(r);
        held.clear();
        awaiting.clear();
        waitingKeys.remove(key());
        for (Routed r : queue) {
            if (awaiting.value() != null) held.add(r);
            else handle(r);
        }
    }

    @Override
    public void endInput() throws Exception {
        // a bounded input ended: the keys still waiting need handoffs other subtasks write as they finish too
        long deadline = System.nanoTime() + END_WAIT.toNanos();
        while (!waitingKeys.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("after " + END_WAIT + " keys " + waitingKeys
                        + " still wait for the handoff of their merge from topic " + handoffTopic);
            }
            poll(Duration.ofMillis(50));
            checkSent();
        }
        producer.flush();
        checkSent();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        producer.flush(); // the states a key released before this barrier are in the topic when the checkpoint is
        checkSent();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        positionState.update(List.of(consumer.position(partition)));
        routedThroughState.update(List.of(routedThrough));
    }

    private void checkSent() {
        Exception e = sendFailure.get();
        if (e != null) throw new IllegalStateException("writing to the handoff topic " + handoffTopic + " failed", e);
    }

    @Override
    public void close() throws Exception {
        try {
            if (producer != null) producer.close(Duration.ofSeconds(10));
            if (consumer != null) consumer.close();
        } finally {
            super.close();
        }
    }

    /**
     * The {@link Tx} the relationship half runs on: the key's own states and, during a merge, the
     * absorbed profile's handed-off states; the writes are recorded in {@link Ops}. Nothing else
     * of the store is here: the pipeline's relationship half reads and writes only these.
     */
    private static final class Keyed implements Tx {
        private final String party;
        private final List<Relationship> states;
        private final String absorbed;
        private final List<Relationship> absorbedStates;
        private final Ops ops = new Ops();

        Keyed(String party, List<Relationship> states, String absorbed, List<Relationship> absorbedStates) {
            this.party = party;
            this.states = states;
            this.absorbed = absorbed;
            this.absorbedStates = absorbedStates;
        }

        private List<Relationship> of(String p) {
            if (p.equals(party)) return states;
            if (p.equals(absorbed)) return absorbedStates;
            throw new IllegalStateException("the engine stage of profile " + party + " was asked for party " + p);
        }

        @Override
        public Optional<Relationship> relationship(String p, String brand) {
            return of(p).stream().filter(r -> r.brand().equals(brand)).findFirst();
        }

        @Override
        public List<Relationship> relationshipsOf(String p) {
            return new ArrayList<>(of(p));
        }

        @Override
        public void removeRelationship(String p, String brand) {
            of(p).removeIf(r -> r.brand().equals(brand));
            ops.remove(p, brand);
        }

        @Override
        public void putRelationship(Relationship r) {
            if (!r.party().equals(party)) {
                throw new IllegalStateException(
                        "the engine stage of profile " + party + " was to write party " + r.party());
            }
            states.removeIf(x -> x.brand().equals(r.brand()));
            states.add(r);
            states.sort(Comparator.comparing(Relationship::brand));
            ops.put(r);
        }

        @Override
        public void addLedger(LedgerEntry entry, Relationship stateAfter) {
            ops.ledger(entry, stateAfter);
        }

        private static IllegalStateException notHere(String what) {
            return new IllegalStateException(what + " belongs to the ordered stage, not the engine stage");
        }

        @Override
        public Optional<String> profileOf(Identity identity) {
            throw notHere("the identity graph");
        }

        @Override
        public List<Identity> identitiesOf(String profile) {
            throw notHere("the identity graph");
        }

        @Override
        public Set<String> logged(Collection<String> messageIds) {
            throw notHere("the log");
        }

        @Override
        public Set<String> erasedIdentities(Collection<String> ids) {
            throw notHere("erasure");
        }

        @Override
        public long append(LoggedEvent event) {
            throw notHere("the log");
        }

        @Override
        public void createProfile(String profile, Instant at) {
            throw notHere("a profile");
        }

        @Override
        public void link(Identity identity, String profile, long seq) {
            throw notHere("the identity graph");
        }

        @Override
        public void absorbProfile(String survivor, String absorbed) {
            throw notHere("a profile's merge");
        }

        @Override
        public void recordMerge(long seq, String survivor, String absorbed, boolean merged, String reason, Instant at) {
            throw notHere("a profile's merge");
        }

        @Override
        public void touchProfile(String profile, Instant eventTime, boolean countEvent) {
            throw notHere("a profile");
        }

        @Override
        public void mergeTraits(String profile, Map<String, Object> traits) {
            throw notHere("a profile's traits");
        }

        @Override
        public void upsertBrand(String id, String name, boolean competitor, boolean declared, long seq) {
            throw notHere("a brand");
        }

        @Override
        public void countUnknownEvent(String name, Instant at) {
            throw notHere("an unknown event");
        }

        @Override
        public void recordConsent(String profile, ConsentRecord consent, long seq, int position) {
            throw notHere("consent");
        }
    }
}
