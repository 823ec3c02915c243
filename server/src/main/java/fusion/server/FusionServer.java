package fusion.server;

import fusion.analytics.journey.JourneySettings;
import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.core.segment.TrackingPlan;
import fusion.server.access.AccessControl;
import fusion.server.access.AuditLog;
import fusion.server.access.Credentials;
import fusion.server.activation.ActivationService;
import fusion.server.audiences.AudienceService;
import fusion.server.decisions.NextBestActions;
import fusion.server.http.Admission;
import fusion.server.http.HttpApi;
import fusion.server.journeys.JourneyService;
import fusion.server.log.IngestLog;
import fusion.server.models.ActionImpact;
import fusion.server.models.CustomerValueService;
import fusion.server.plan.PlanGate;
import fusion.server.plan.PlanViolations;
import fusion.server.privacy.ConsentService;
import fusion.store.Pipeline;
import fusion.store.Store;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: engine, mapping, store and HTTP wired together. Tests start one on port 0;
 * {@code ./fusion serve} and {@code ./fusion demo} start one from the command line.
 */
public final class FusionServer implements AutoCloseable {
    public static final String DEFAULT_BRAND = "own";

    private static final Logger LOG = LoggerFactory.getLogger(FusionServer.class);

    private final Store store;
    private final IngestLog log;
    private final Javalin http;
    private final Credentials credentials;
    private final AuditLog audit;
    private final ScheduledExecutorService sweeper;
    private final NextBestActions actions;
    private final AudienceService audiences;
    private final ActivationService activation;
    private final PlanViolations violations;

    private FusionServer(
            Store store,
            IngestLog log,
            Javalin http,
            Credentials credentials,
            AuditLog audit,
            ScheduledExecutorService sweeper,
            NextBestActions actions,
            AudienceService audiences,
            ActivationService activation,
            PlanViolations violations) {
        this.store = store;
        this.log = log;
        this.http = http;
        this.credentials = credentials;
        this.audit = audit;
        this.sweeper = sweeper;
        this.actions = actions;
        this.audiences = audiences;
        this.activation = activation;
        this.violations = violations;
    }

    public static Pipeline pipeline(ModelConfig model) {
        return new Pipeline(new Engine(model), SegmentMapping.standard(DEFAULT_BRAND));
    }

    /** The pipeline that maps events as {@code plan} says (the default plan maps as {@link #pipeline(ModelConfig)}). */
    public static Pipeline pipeline(ModelConfig model, TrackingPlan plan) {
        return new Pipeline(new Engine(model), mapping(plan));
    }

    /** The mapping of a tracking plan's events, for the brand {@link #DEFAULT_BRAND}. */
    public static SegmentMapping mapping(TrackingPlan plan) {
        return new SegmentMapping(plan.mappings(), DEFAULT_BRAND);
    }

    /**
     * Serves {@code store} as {@code config} says; the server owns the store from here on (it is
     * closed when the server closes, or when the start fails). The store is opened with
     * {@link #pipeline pipeline(config.model())}. Each service is built here, once, and handed to
     * the HTTP routes: access control, the audit log, consent, customer value, journeys, the next
     * best action (with its webhooks and trigger; deferred decisions are polled every 5 s) and this
     * server's own ingest admission. Every hour a sweep logs the consent grants that lapse within
     * 30 days ({@code GET /api/consents/expiring} lists them).
     */
    public static FusionServer start(FusionConfig config, Store store) {
        return start(config, store, IngestLog.of(store));
    }

    /**
     * The same, with accepted calls going to {@code log} rather than straight into the store: with
     * a {@link fusion.server.log.KafkaLog} this is the stateless ingest tier, whose reads come from
     * the serving tables in {@code store} that the Flink job writes. The server owns both.
     */
    public static FusionServer start(FusionConfig config, Store store, IngestLog log) {
        AuditLog audit = null;
        NextBestActions actions = null;
        ScheduledExecutorService sweeper = null;
        AudienceService audiences = null;
        ActivationService activation = null;
        try {
            Clock clock = config.clock();
            audit = new AuditLog(store.access());
            PlanViolations violations = PlanViolations.keptIn(store.planViolations(), clock.instant());
            ConsentService consent = new ConsentService(store, config.consent(), clock);
            CustomerValueService values = CustomerValueService.listening(store, clock);
            var churn = fusion.server.models.ChurnService.listening(store, clock);
            audiences = new AudienceService(store, consent, values, churn, clock);
            // destinations hear of changes from the first settle on: made before the audiences start
            activation = new ActivationService(store, audiences, consent, clock);
            audiences.start();
            activation.start();
            actions = new NextBestActions(
                            store,
                            pipeline(config.model(), config.trackingPlan()),
                            consent,
                            values,
                            audiences::isMember,
                            clock,
                            config.decisions())
                    .start(5);
            var services = new HttpApi.Services(
                    store,
                    log,
                    config.credentials(),
                    new AccessControl(config.credentials(), store.access(), clock),
                    audit,
                    consent,
                    values,
                    new JourneyService(store, clock, JourneySettings.defaults()),
                    new ActionImpact(store, clock),
                    actions,
                    new Admission(config.admission()),
                    clock,
                    audiences,
                    activation,
                    new fusion.server.influence.InfluenceService(
                            store, fusion.models.influence.BrandInfluence.Settings.defaults()),
                    new fusion.server.ideas.IdeaService(store, fusion.server.ideas.IdeaService.DEFAULT_BRAND),
                    new PlanGate(config.trackingPlan(), violations),
                    churn,
                    new fusion.server.models.SurveyService(store),
                    config.currency());
            Javalin http = new HttpApi(services).start(config.host(), config.port());
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fusion-consent-sweep");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(() -> sweep(consent), 1, 60, TimeUnit.MINUTES);
            long flushMillis = PlanViolations.FLUSH_EVERY.toMillis();
            sweeper.scheduleWithFixedDelay(() -> flush(violations), flushMillis, flushMillis, TimeUnit.MILLISECONDS);
            return new FusionServer(
                    store, log, http, config.credentials(), audit, sweeper, actions, audiences, activation, violations);
        } catch (RuntimeException e) {
            if (sweeper != null) sweeper.shutdownNow();
            if (activation != null) activation.close();
            if (audiences != null) audiences.close();
            if (actions != null) actions.close();
            if (audit != null) audit.close();
            log.close();
            store.close();
            throw e;
        }
    }

    /** Writes the tracking-plan violations counted since the last write (docs/SEGMENT.md). */
    private static void flush(PlanViolations violations) {
        try {
            violations.flush();
        } catch (RuntimeException e) {
            LOG.warn("keeping tracking-plan violations failed (the next flush tries again): {}", e.getMessage());
        }
    }

    private static void sweep(ConsentService consent) {
        try {
            var expiring = consent.expiring(Duration.ofDays(30));
            if (!expiring.isEmpty()) {
                LOG.info(
                        "consent sweep: {} grants lapse within 30 days, the first at {} (GET /api/consents/expiring)",
                        expiring.size(),
                        expiring.get(0).verdict().validUntil());
            }
        } catch (RuntimeException e) {
            LOG.warn("consent sweep failed: {}", e.getMessage());
        }
    }

    public int port() {
        return http.port();
    }

    public Store store() {
        return store;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** The HTTP server (its Jetty server's threads, for instance). */
    public Javalin http() {
        return http;
    }

    /** The next-best-action service: decisions, their schedule and delivery. */
    public NextBestActions actions() {
        return actions;
    }

    /** Audiences and their live membership. */
    public AudienceService audiences() {
        return audiences;
    }

    /** Destinations of audiences and what is sent to them. */
    public ActivationService activation() {
        return activation;
    }

    /** The tracking plan's violations, counted and kept. */
    public PlanViolations violations() {
        return violations;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        http.stop();
        flush(violations); // after the last request: what was counted since the last flush is kept
        activation.close();
        audiences.close();
        actions.close();
        audit.close();
        log.close();
        store.close();
    }
}
