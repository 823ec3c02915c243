package fusion.store;

import fusion.core.consent.ConsentRecord;
import fusion.core.engine.Engine;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.engine.Step;
import fusion.core.identity.Identity;
import fusion.core.identity.IdentityResolver;
import fusion.core.identity.Resolution;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.core.segment.ConsentEvents;
import fusion.core.segment.Mapped;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What happens to each call inside the store's transaction, in this order: skip it if its
 * messageId is logged; resolve its identities; map it to an interaction; append it to the log;
 * link identities and merge profiles; record the consent it carries; apply identify traits and
 * group brands; score it with the
 * engine and write the new relationship states and ledger entries. Live ingest and replay run
 * this same code, which is why replay rebuilds the live state exactly.
 */
public final class Pipeline {
    private final Engine engine;
    private final SegmentMapping mapping;
    private final IdentityResolver resolver = new IdentityResolver();
    /** False for {@link #withoutRelationships()}: the relationship half of each call is left to another stage. */
    private final boolean relationships;
    /** Stands for the profile in {@link #check}: ids are printable, so none can equal it. */
    private static final String UNRESOLVED = "\u0000unresolved";

    public Pipeline(Engine engine, SegmentMapping mapping) {
        this(engine, mapping, true);
    }

    private Pipeline(Engine engine, SegmentMapping mapping, boolean relationships) {
        this.engine = engine;
        this.mapping = mapping;
        this.relationships = relationships;
    }

    /**
     * The same pipeline without its relationship half: identities, the log, merges of profiles,
     * consent, traits and brands, but no relationship state is read or written (neither the
     * engine's scoring nor the move of an absorbed profile's pairs). A cluster runs that half per
     * profile elsewhere, with {@link #moveRelationships} and {@link #score}, in the same order.
     */
    public Pipeline withoutRelationships() {
        return new Pipeline(engine, mapping, false);
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Reads every call as {@link #apply} will, without touching any state: its mapping (every
     * number within {@link fusion.core.model.Bounds}) and the consent it carries. Stores run it
     * on the caller's thread before a batch joins a group commit, so a call that does not fit
     * is refused there, naming {@code batch[i]} and the field, and never reaches the writer.
     */
    public Checked check(List<SegmentCall> calls) {
        java.util.BitSet scored = new java.util.BitSet(calls.size());
        java.util.BitSet unknown = new java.util.BitSet(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            SegmentCall call = calls.get(i);
            try {
                // the profile is not resolved yet: a name no id can have maps the same numbers
                Mapped m = mapping.map(call, UNRESOLVED);
                if (m instanceof Mapped.Scored) scored.set(i);
                if (m instanceof Mapped.Kept k && k.unknownEvent()) unknown.set(i);
                ConsentEvents.of(call);
            } catch (InvalidInput e) {
                throw e.within("batch[" + i + "]");
            }
        }
        return new Checked(scored, unknown);
    }

    /**
     * What {@link #check} read, by the call's index in the batch: which calls {@link #apply} will
     * score and which are of an event no mapping knows (the ingest tier answers these counts
     * without mapping every call a second time).
     */
    public record Checked(java.util.BitSet scored, java.util.BitSet unknownEvents) {}

    /** Applies a batch; an {@link InvalidInput} names the call as {@code batch[i]} and aborts the batch. */
    public IngestResult apply(Tx tx, List<SegmentCall> calls) {
        return apply(tx, calls, calls.stream().map(LogCodec::encode).toList());
    }

    /**
     * The same, with each call's log record already encoded ({@link LogCodec#encode}): stores
     * encode before taking their writer, so that work runs in parallel on the request threads.
     */
    public IngestResult apply(Tx tx, List<SegmentCall> calls, List<String> records) {
        return apply(tx, calls, records, NO_SINK);
    }

    /** What a batch did that others keep state about; told only if the batch commits. */
    public interface Sink {
        void scored(Interaction interaction);

        /** Profile {@code absorbed} became part of {@code survivor}: state kept per profile must follow. */
        void merged(String survivor, String absorbed);
    }

    private static final Sink NO_SINK = new Sink() {
        @Override
        public void scored(Interaction interaction) {}

        @Override
        public void merged(String survivor, String absorbed) {}
    };

    /** The same, telling {@code sink} each scored interaction and each merge. */
    public IngestResult apply(Tx tx, List<SegmentCall> calls, List<String> records, Sink sink) {
        Set<String> inBatch = new HashSet<>();
        Set<String> logged =
                tx.logged(calls.stream().map(SegmentCall::messageId).toList());
        int accepted = 0, duplicates = 0, scored = 0, unknown = 0;
        for (int i = 0; i < calls.size(); i++) {
            SegmentCall call = calls.get(i);
            if (!inBatch.add(call.messageId()) || logged.contains(call.messageId())) {
                duplicates++;
                continue;
            }
            Mapped m;
            try {
                SegmentCall kept = withoutErasedCoParties(tx, call);
                m = one(tx, kept, kept == call ? records.get(i) : LogCodec.encode(kept), sink);
                if (m instanceof Mapped.Scored sc) sink.scored(sc.interaction());
            } catch (InvalidInput e) {
                throw e.within("batch[" + i + "]");
            }
            accepted++;
            if (m instanceof Mapped.Scored) scored++;
            if (m instanceof Mapped.Kept k && k.unknownEvent()) unknown++;
        }
        return new IngestResult(accepted, duplicates, scored, unknown);
    }

    /**
     * The call without the co-parties who were erased, or the call itself when it names none: an
     * event of another person that names an erased person must not recreate a relationship with
     * their id, neither in the derived tables nor in the log record (erasure rebuilds through here).
     */
    private static SegmentCall withoutErasedCoParties(Tx tx, SegmentCall call) {
        Object named = call.properties().get(CO_PARTIES);
        List<String> ids = named instanceof String one
                ? List.of(one)
                : named instanceof List<?> list
                        ? list.stream()
                                .filter(String.class::isInstance)
                                .map(String.class::cast)
                                .toList()
                        : List.of();
        if (ids.isEmpty()) return call;
        Set<String> erased = tx.erasedIdentities(ids);
        if (erased.isEmpty()) return call;
        Map<String, Object> properties = new java.util.LinkedHashMap<>(call.properties());
        if (named instanceof List<?> list) {
            List<Object> left = list.stream()
                    .filter(x -> !erased.contains(x))
                    .map(x -> (Object) x)
                    .toList();
            if (left.isEmpty()) properties.remove(CO_PARTIES);
            else properties.put(CO_PARTIES, left);
        } else {
            properties.remove(CO_PARTIES);
        }
        return new SegmentCall(
                call.type(),
                call.messageId(),
                call.userId(),
                call.anonymousId(),
                call.event(),
                call.name(),
                call.groupId(),
                call.previousId(),
                properties,
                call.traits(),
                call.context(),
                call.timestamp(),
                call.receivedAt());
    }

    private static final String CO_PARTIES = "co_parties";

    private Mapped one(Tx tx, SegmentCall call, String record, Sink sink) {
        Resolution r = call.type() == SegmentCall.Type.ALIAS
                ? resolver.alias(call.previousId(), call.userId(), tx)
                : resolver.resolve(call.userId(), call.anonymousId(), tx);
        String profile = r.profile();
        boolean newProfile = tx.identitiesOf(profile).isEmpty() && r.merges().isEmpty();
        Mapped mapped = mapping.map(call, profile);
        Interaction interaction = mapped instanceof Mapped.Scored s ? s.interaction() : null;
        Instant t = call.timestamp();
        long seq = tx.append(new Tx.LoggedEvent(
                call.messageId(),
                call.type().wireName(),
                nameOf(call),
                profile,
                t,
                call.receivedAt(),
                interaction == null ? null : interaction.brand().id(),
                interaction == null
                        ? null
                        : interaction.contactPoint().channel().label(),
                interaction == null ? null : interaction.purpose().label(),
                interaction != null,
                record));
        if (newProfile) {
            tx.createProfile(profile, t);
        }
        for (Identity id : r.links()) {
            tx.link(id, profile, seq);
        }
        for (Resolution.Merge merge : r.merges()) {
            merge(tx, merge, seq, call.messageId(), t);
            sink.merged(merge.survivor(), merge.absorbed());
        }
        for (String note : r.notes()) {
            tx.recordMerge(seq, profile, "", false, note, t);
        }
        tx.touchProfile(profile, t, true);
        List<ConsentRecord> consents = ConsentEvents.of(call);
        for (int i = 0; i < consents.size(); i++) {
            tx.recordConsent(profile, consents.get(i), seq, i);
        }
        if (call.type() == SegmentCall.Type.IDENTIFY && !call.traits().isEmpty()) {
            tx.mergeTraits(profile, call.traits());
        }
        if (call.type() == SegmentCall.Type.GROUP) {
            Object name = call.traits().get("name");
            boolean competitor = Boolean.TRUE.equals(call.traits().get("competitor"));
            tx.upsertBrand(call.groupId(), name == null ? call.groupId() : name.toString(), competitor, true, seq);
        }
        if (interaction != null) {
            tx.upsertBrand(
                    interaction.brand().id(),
                    interaction.brand().id(),
                    interaction.brand().competitor(),
                    false,
                    seq);
            if (relationships) score(tx, interaction);
        } else if (mapped instanceof Mapped.Kept k && k.unknownEvent()) {
            tx.countUnknownEvent(call.event(), t);
        }
        return mapped;
    }

    private void merge(Tx tx, Resolution.Merge merge, long seq, String eventId, Instant t) {
        if (relationships) moveRelationships(tx, merge.survivor(), merge.absorbed(), merge.reason(), t, eventId);
        tx.absorbProfile(merge.survivor(), merge.absorbed());
        tx.recordMerge(seq, merge.survivor(), merge.absorbed(), true, merge.reason(), t);
    }

    /**
     * The relationship half of a merge: every pair of {@code absorbed}, in brand order, leaves it
     * and joins {@code survivor}'s pair of the same brand ({@link Engine#merge}), or becomes it.
     */
    public void moveRelationships(Tx tx, String survivor, String absorbed, String reason, Instant t, String eventId) {
        List<Relationship> moving = tx.relationshipsOf(absorbed).stream()
                .sorted(Comparator.comparing(Relationship::brand))
                .toList();
        String note = "merged profile " + absorbed + " (" + reason + ")";
        for (Relationship rel : moving) {
            tx.removeRelationship(absorbed, rel.brand());
            Relationship moved = rel.forParty(survivor);
            var existing = tx.relationship(survivor, rel.brand());
            if (existing.isPresent()) {
                write(tx, engine.merge(existing.get(), moved, t, eventId, note));
            } else {
                tx.putRelationship(moved);
            }
        }
    }

    /** The relationship half of a scored call: the engine's step, written as new states and ledger entries. */
    public void score(Tx tx, Interaction interaction) {
        write(tx, engine.apply(tx, interaction));
    }

    private static void write(Tx tx, Step step) {
        Map<String, Relationship> byKey = new java.util.HashMap<>();
        for (Relationship r : step.relationships()) {
            tx.putRelationship(r);
            byKey.put(r.party() + '\u0000' + r.brand(), r);
        }
        for (LedgerEntry e : step.ledger()) {
            tx.addLedger(e, byKey.get(e.party() + '\u0000' + e.brand()));
        }
    }

    /** The interaction a logged call maps to, for a call already resolved to {@code profile}; empty when it is not scored. */
    public java.util.Optional<Interaction> interaction(SegmentCall call, String profile) {
        return mapping.map(call, profile) instanceof Mapped.Scored s
                ? java.util.Optional.of(s.interaction())
                : java.util.Optional.empty();
    }

    private static String nameOf(SegmentCall call) {
        return switch (call.type()) {
            case TRACK -> call.event();
            case PAGE, SCREEN -> call.name();
            case GROUP -> call.groupId();
            case ALIAS -> call.previousId();
            case IDENTIFY -> null;
        };
    }
}
