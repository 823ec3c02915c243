package fusion.server.decisions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.consent.ConsentPurpose;
import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import fusion.decisions.ActionKind;
import fusion.decisions.Catalogue;
import fusion.decisions.Decision;
import fusion.decisions.DecisionConfig;
import fusion.decisions.DecisionService;
import fusion.decisions.Reason;
import fusion.decisions.ReasonCode;
import fusion.decisions.delivery.DeadLetter;
import fusion.decisions.delivery.DeliveryConfig;
import fusion.decisions.delivery.DeliveryResult;
import fusion.decisions.delivery.WebhookDelivery;
import fusion.server.privacy.ConsentService;
import fusion.store.DecisionRecords;
import fusion.store.DecisionRecords.DecisionRecord;
import fusion.store.DecisionRecords.Status;
import fusion.store.Pipeline;
import fusion.store.ProfileView;
import fusion.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next-best-action service as the server runs it: decide for a person from the store, record
 * the decision, hand an act due now to {@link WebhookDelivery} with the consent ledger asked before
 * every attempt, and keep deferred acts in the {@code decisions} table (status {@code scheduled})
 * until a poll finds them due. Because the table is the schedule, a restart loses nothing: the
 * first poll sends what fell due meanwhile, and acts queued but never finished (a crash, a kill -9)
 * are sent again at the start under their own idempotency key (receivers dedupe), unless their
 * delivery row shows they were delivered or dead-lettered.
 *
 * <p>Statuses of an act: {@code recorded} (no webhooks configured), {@code scheduled},
 * {@code queued}, then {@code delivered}, {@code withheld} (consent no longer held) or
 * {@code dead}. A "nothing" is {@code none}.
 */
public final class NextBestActions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NextBestActions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param delivery        webhooks and retries; empty: decisions are recorded, not delivered
     * @param decideOnEvents  decide for the people each committed batch touched, for the brand of
     *                        each event when it is one of {@code ownBrands}
     * @param ownBrands       the brands Fusion decides for (never a competitor's), from
     *                        {@code --own-brands}; the first decides when a request names none
     */
    public record Settings(
            Optional<DeliveryConfig> delivery,
            boolean decideOnEvents,
            List<String> ownBrands,
            Catalogue catalogue,
            DecisionConfig decisions) {
        /**
         * The own brands when none are configured: {@code own}, the brand the standard mapping
         * gives an event that names none.
         */
        public static final List<String> DEFAULT_OWN_BRANDS = List.of("own");

        public Settings {
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(ownBrands, "ownBrands");
            Objects.requireNonNull(catalogue, "catalogue");
            Objects.requireNonNull(decisions, "decisions");
            ownBrands = checkedOwnBrands(ownBrands);
        }

        public static Settings of(Optional<DeliveryConfig> delivery, boolean decideOnEvents, String brand) {
            return of(delivery, decideOnEvents, List.of(brand));
        }

        public static Settings of(Optional<DeliveryConfig> delivery, boolean decideOnEvents, List<String> ownBrands) {
            return new Settings(delivery, decideOnEvents, ownBrands, Catalogue.defaults(), DecisionConfig.defaults());
        }

        /** The own brand deciding when a request names none: the first listed. */
        public String brand() {
            return ownBrands.get(0);
        }

        /** True for an event's brand that Fusion decides for: listed as own, and not flagged a competitor. */
        public boolean decidesFor(fusion.core.model.Brand brand) {
            return !brand.competitor() && ownBrands.contains(brand.id());
        }

        /**
         * {@code --own-brands} / {@code FUSION_OWN_BRANDS}: brand ids separated by commas
         * ({@code glitter,brewline}); absent or blank gives {@link #DEFAULT_OWN_BRANDS}. An empty
         * entry or a repeated one is refused, naming the option.
         */
        public static List<String> parseOwnBrands(String spec) {
            if (spec == null || spec.isBlank()) return DEFAULT_OWN_BRANDS;
            return checkedOwnBrands(
                    List.of(spec.split(",", -1)).stream().map(String::trim).toList());
        }

        private static List<String> checkedOwnBrands(List<String> brands) {
            if (brands.isEmpty())
                throw new fusion.core.model.InvalidInput("--own-brands", "expected at least one brand");
            Set<String> seen = new LinkedHashSet<>();
            for (String b : brands) {
                if (b == null || b.isBlank()) {
                    throw new fusion.core.model.InvalidInput(
                            "--own-brands",
                            "expected brand ids separated by commas, " + "but one of " + brands + " is empty");
                }
                if (!b.equals(b.strip())) {
                    throw new fusion.core.model.InvalidInput(
                            "--own-brands", "brand '" + b + "' has surrounding spaces");
                }
                if (!seen.add(b))
                    throw new fusion.core.model.InvalidInput("--own-brands", "brand '" + b + "' is listed twice");
            }
            return List.copyOf(brands);
        }
    }

    /** What {@link #decide} did: the recorded decision, and what happens to its delivery, in words. */
    public record Outcome(DecisionRecord decision, String delivery) {}

    private final Store store;
    private final DecisionRecords records;
    private final ConsentService consent;
    private final Clock clock;
    private final Settings settings;
    private final DecisionService service;
    private final CustomerContexts contexts;
    private final HoldoutUplift uplift;
    private final SqlDeliveryLog log;
    private final WebhookDelivery delivery;
    /** One decision at a time per person, so the API and the trigger cannot both use a cap's last slot. */
    private final Object[] locks = new Object[64];

    private ScheduledExecutorService poller;
    private ThreadPoolExecutor trigger;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Decisions weigh each customer's predicted value and probability alive from {@code values}; a
     * catalogue action with {@code eligibility.audience} is only for the members {@code audiences}
     * names ({@code (profile, audience) -> member?}).
     */
    public NextBestActions(
            Store store,
            Pipeline mapping,
            ConsentService consent,
            fusion.server.models.CustomerValueService values,
            java.util.function.BiPredicate<String, String> audiences,
            Clock clock,
            Settings settings) {
        this.store = store;
        this.records = store.decisions();
        this.consent = consent;
        this.clock = clock;
        this.settings = settings;
        this.service = new DecisionService(settings.catalogue(), settings.decisions());
        this.contexts = new CustomerContexts(store, mapping, consent, values, audiences);
        this.uplift = new HoldoutUplift(store, mapping);
        this.log = new SqlDeliveryLog(records);
        this.delivery = settings.delivery()
                .map(c -> WebhookDelivery.builder(c).log(log).clock(clock).build())
                .orElse(null);
        for (int i = 0; i < locks.length; i++) locks[i] = new Object();
    }

    private Object lock(String profile) {
        return locks[Math.floorMod(profile.hashCode(), locks.length)];
    }

    /**
     * Starts the schedule poll (every {@code pollSeconds}), re-queues acts left queued by the last
     * run, and, when configured, the streaming trigger.
     */
    public NextBestActions start(long pollSeconds) {
        poller = Executors.newSingleThreadScheduledExecutor(daemon("fusion-decision-schedule"));
        if (delivery != null) {
            poller.execute(this::requeue);
            poller.scheduleWithFixedDelay(this::pollDue, pollSeconds, pollSeconds, TimeUnit.SECONDS);
        }
        if (settings.decideOnEvents()) {
            // off the writer's thread, bounded: under a flood, people already waiting are enough
            trigger = new ThreadPoolExecutor(
                    1,
                    1,
                    0,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(1024),
                    daemon("fusion-decision-trigger"),
                    (job, pool) -> {
                        if (dropped.getAndIncrement() % 1000 == 0) {
                            LOG.warn("decision trigger saturated: {} events not decided on so far", dropped.get());
                        }
                    });
            store.listen(new Store.Listener() {
                @Override
                public void committed(List<Interaction> interactions, boolean merged) {
                    // one decision per person and own brand the batch touched; competitors' never
                    Set<Map.Entry<String, String>> touched = new LinkedHashSet<>();
                    for (Interaction i : interactions) {
                        if (settings.decidesFor(i.brand()))
                            touched.add(Map.entry(i.party(), i.brand().id()));
                    }
                    for (var t : touched) trigger.execute(() -> decideOnEvent(t.getKey(), t.getValue()));
                }

                @Override
                public void rebuilt() {
                    // nothing kept here: every decision reads the store afresh
                }
            });
        }
        return this;
    }

    public boolean delivers() {
        return delivery != null;
    }

    public String brand() {
        return settings.brand();
    }

    /** Decides for {@code profile} at {@code at} (truncated to milliseconds, as stored) and acts on it. */
    public Outcome decide(ProfileView profile, String brand, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MILLIS);
        Decision d;
        DecisionRecord r;
        synchronized (lock(profile.id())) {
            d = service.decide(contexts.build(profile, brand, now), now);
            r = record(d, brand);
            if (!records.record(r)) {
                DecisionRecord earlier = records.decision(r.id()).orElse(r);
                return new Outcome(earlier, "already decided: this is the decision recorded earlier with this id");
            }
        }
        if (!(d instanceof Decision.Act act)) return new Outcome(r, "nothing to deliver");
        if (delivery == null) return new Outcome(r, "recorded, not delivered: no webhooks are configured (--webhooks)");
        if (act.sendAt().isAfter(clock.instant())) {
            return new Outcome(r, "scheduled for " + act.sendAt() + "; consent is asked again then");
        }
        deliver(act);
        return new Outcome(
                records.decision(r.id()).orElse(r),
                "queued for delivery to the " + act.channel().label() + " webhook");
    }

    /** The catalogue decisions are made from. */
    public Catalogue catalogue() {
        return settings.catalogue();
    }

    /** The catalogue's action {@code id}, if there is one. */
    public Optional<fusion.decisions.ActionSpec> action(String id) {
        return settings.catalogue().find(id);
    }

    /**
     * The live uplift of catalogue action {@code action} on {@code outcome} over {@code days} days,
     * now, for the people {@code inAudience} accepts ({@code audience} names it, for the report).
     */
    public HoldoutUplift.Report uplift(
            fusion.decisions.ActionSpec action,
            fusion.decisions.UpliftOutcome outcome,
            int days,
            Optional<String> audience,
            java.util.function.Predicate<String> inAudience) {
        return uplift.measure(action.id(), action.holdout(), outcome, days, audience, inAudience, clock.instant());
    }

    private void decideOnEvent(String profile, String brand) {
        try {
            Optional<ProfileView> p = store.profile(profile);
            if (p.isEmpty()) return;
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Decision d;
            boolean recorded;
            synchronized (lock(p.get().id())) {
                d = service.decide(contexts.build(p.get(), brand, now), now);
                // only acts and holdouts are recorded from the stream: a "nothing" per event would
                // bury what was done, but a holdout is the control arm an act is compared with
                recorded = (d instanceof Decision.Act || heldOut(d)) && records.record(record(d, brand));
            }
            if (recorded
                    && d instanceof Decision.Act act
                    && delivery != null
                    && !act.sendAt().isAfter(clock.instant())) {
                deliver(act);
            }
        } catch (RuntimeException e) {
            LOG.warn("deciding after an event for {} at {} failed: {}", profile, brand, e.getMessage());
        }
    }

    private DecisionRecord record(Decision d, String brand) {
        String reasons = reasons(d.reasons());
        if (d instanceof Decision.Act a) {
            Status status = delivery == null
                    ? Status.RECORDED
                    : a.sendAt().isAfter(clock.instant()) ? Status.SCHEDULED : Status.QUEUED;
            return new DecisionRecord(
                    a.decisionId(),
                    a.customer(),
                    brand,
                    a.decidedAt(),
                    a.actionId(),
                    a.kind().label(),
                    a.channel().label(),
                    a.purpose().label(),
                    a.sendAt(),
                    DecisionRecords.Outcome.ACT,
                    status,
                    reasons);
        }
        String id = UUID.nameUUIDFromBytes(("nothing\n" + d.customer() + "\n" + brand + "\n" + d.decidedAt())
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
        return new DecisionRecord(
                id,
                d.customer(),
                brand,
                d.decidedAt(),
                ((Decision.Nothing) d).heldOutOf().orElse(null),
                null,
                null,
                null,
                null,
                DecisionRecords.Outcome.NOTHING,
                Status.NONE,
                reasons);
    }

    /** True for the "nothing" of a person held out of an action. */
    private static boolean heldOut(Decision d) {
        return d instanceof Decision.Nothing n && n.heldOutOf().isPresent();
    }

    /** Hands an act to delivery; its status follows the result. */
    private void deliver(Decision.Act act) {
        records.status(act.decisionId(), Status.QUEUED);
        CompletableFuture<DeliveryResult> f;
        try {
            f = delivery.send(act, LedgerConsent.of(consent, act.customer()));
        } catch (IllegalStateException e) {
            LOG.warn("decision {} not sent: {}", act.decisionId(), e.getMessage());
            records.status(act.decisionId(), Status.DEAD);
            return;
        }
        f.thenAccept(result -> records.status(act.decisionId(), status(result)));
    }

    private static Status status(DeliveryResult r) {
        if (r instanceof DeliveryResult.Delivered) return Status.DELIVERED;
        if (r instanceof DeliveryResult.Withheld) return Status.WITHHELD;
        return Status.DEAD;
    }

    /** Sends every scheduled act whose time has come; returns how many were handed to delivery. */
    public synchronized int sendDue() {
        if (delivery == null) return 0;
        int n = 0;
        for (DecisionRecord r : records.due(Status.SCHEDULED, clock.instant())) {
            deliver(act(r));
            n++;
        }
        return n;
    }

    private void pollDue() {
        try {
            sendDue();
        } catch (RuntimeException e) {
            LOG.warn("sending due decisions failed, retrying at the next poll: {}", e.getMessage());
        }
    }

    /**
     * Picks up what the last run left unfinished (a crash, a kill -9): every act still
     * {@code queued}. Its delivery row says how far it got: one delivered or dead-lettered before
     * the crash only gets its decision's status brought in line (no second send); any other is
     * sent again under its own idempotency key with its own body, consent asked again first, so a
     * receiver that got it just before the crash can drop the repeat by its key.
     */
    void requeue() {
        try {
            List<DecisionRecord> left = records.due(Status.QUEUED, Instant.MAX);
            if (!left.isEmpty()) LOG.info("re-queueing {} decisions the last run did not finish", left.size());
            for (DecisionRecord r : left) {
                Optional<Status> finished = records.delivery(r.id())
                        .map(DecisionRecords.DeliveryRecord::status)
                        .flatMap(s -> switch (s) {
                            case DELIVERED -> Optional.of(Status.DELIVERED);
                            case DEAD -> Optional.of(Status.DEAD);
                            case SENDING, RESENDING -> Optional.empty();
                        });
                if (finished.isPresent()) records.status(r.id(), finished.get());
                else deliver(act(r));
            }
        } catch (RuntimeException e) {
            LOG.warn("re-queueing unfinished decisions failed: {}", e.toString());
        }
    }

    /**
     * Sends a dead letter again under its key, if consent still holds now (a re-send is a contact
     * like the first). Empty when there is no such dead letter.
     */
    public Optional<fusion.decisions.ConsentVerdict> resend(String key) {
        Optional<DeadLetter> letter = log.deadLetter(key);
        Optional<DecisionRecord> decision = records.decision(key);
        if (letter.isEmpty() || decision.isEmpty() || delivery == null) return Optional.empty();
        DecisionRecord r = decision.get();
        fusion.decisions.ConsentVerdict v = LedgerConsent.of(consent, r.profile())
                .check(purpose(r.purpose()), Channel.parse("channel", r.channel()), clock.instant());
        if (!v.allowed()) return Optional.of(v);
        // queued first: a crash between the two leaves a dead letter (re-sendable), never a
        // 'resending' delivery of a decision nothing will pick up again
        records.status(key, Status.QUEUED);
        records.resending(key, clock.instant());
        delivery.resend(letter.get()).thenAccept(result -> records.status(key, status(result)));
        return Optional.of(v);
    }

    /** The act a recorded decision was, byte for byte the same body as when it was decided. */
    static Decision.Act act(DecisionRecord r) {
        return new Decision.Act(
                r.id(),
                r.profile(),
                r.action(),
                ActionKind.valueOf(r.kind().toUpperCase(Locale.ROOT)),
                Channel.parse("channel", r.channel()),
                purpose(r.purpose()),
                r.at(),
                r.sendAt(),
                reasons(r.reasons()));
    }

    private static ConsentPurpose purpose(String label) {
        return ConsentPurpose.parse("purpose", label);
    }

    static String reasons(List<Reason> reasons) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Reason r : reasons) out.add(Map.of("code", r.code().label(), "sentence", r.sentence()));
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings always serialises", e);
        }
    }

    public static List<Reason> reasons(String json) {
        try {
            List<Map<String, String>> in = JSON.readValue(json, new TypeReference<>() {});
            return in.stream()
                    .map(m -> Reason.of(ReasonCode.valueOf(m.get("code").toUpperCase(Locale.ROOT)), m.get("sentence")))
                    .toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reasons were written as JSON by this class", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        if (trigger != null) trigger.shutdownNow();
        if (poller != null) poller.shutdownNow();
        if (delivery != null) delivery.close();
    }
}
