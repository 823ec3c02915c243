package fusion.server;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.server.access.Credentials;
import fusion.server.http.HttpApi;
import fusion.store.Pipeline;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import fusion.core.consent.ConsentPolicy;
import fusion.server.access.AuditLog;
import fusion.server.http.Admission;
import fusion.server.privacy.ConsentService;
import fusion.server.decisions.NextBestActions;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The composition root: engine, mapping, store and HTTP wired together. Tests start one on port 0;
 * {@code ./fusion serve} and {@code ./fusion demo} start one from the command line.
 */
public final class FusionServer implements AutoCloseable {
    public static final String DEFAULT_BRAND = "own";

    private static final Logger LOG = LoggerFactory.getLogger(FusionServer.class);

    private final Store store;
    private final Javalin http;
    private final Credentials credentials;
    private final AuditLog audit;
    private final ScheduledExecutorService sweeper;
    private final NextBestActions actions;

    private FusionServer(Store store, Javalin http, Credentials credentials, AuditLog audit,
                         ScheduledExecutorService sweeper, NextBestActions actions) {
        this.store = store;
        this.http = http;
        this.credentials = credentials;
        this.audit = audit;
        this.sweeper = sweeper;
        this.actions = actions;
    }

    public static Pipeline pipeline(ModelConfig model) {
        return new Pipeline(new Engine(model), SegmentMapping.standard(DEFAULT_BRAND));
    }

    /** Opens the embedded store in {@code dataDir} and serves it on {@code host:port}. */
    public static FusionServer start(Path dataDir, String host, int port, Credentials credentials, ModelConfig model,
                                     Clock clock) {
        return start(SqlStore.sqlite(dataDir, pipeline(model)), host, port, credentials, clock);
    }

    /** Serves {@code store} on {@code host:port}; the server owns the store from here on. */
    public static FusionServer start(Store store, String host, int port, Credentials credentials, Clock clock) {
        return start(store, host, port, credentials, clock, ConsentPolicy.standard());
    }

    /**
     * The same with a consent policy. Every hour a sweep logs the grants that lapse within 30
     * days ({@code GET /api/consents/expiring} lists them).
     */
    public static FusionServer start(Store store, String host, int port, Credentials credentials, Clock clock,
                                     ConsentPolicy policy) {
        return start(store, host, port, credentials, clock, policy,
                NextBestActions.Settings.of(java.util.Optional.empty(), false, DEFAULT_BRAND));
    }

    /**
     * The same with the next-best-action service's settings: webhooks (none: decisions are
     * recorded, not delivered) and the streaming trigger. Deferred decisions are polled every 5 s.
     */
    public static FusionServer start(Store store, String host, int port, Credentials credentials, Clock clock,
                                     ConsentPolicy policy, NextBestActions.Settings decisions) {
        AuditLog audit = null;
        NextBestActions actions = null;
        try {
            audit = new AuditLog(store.access());
            actions = new NextBestActions(store, pipeline(ModelConfig.defaults()), new ConsentService(store, policy, clock),
                    clock, decisions).start(5);
            Javalin http = new HttpApi(store, credentials, clock, Admission.DEFAULT, policy, audit, actions)
                    .start(host, port);
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fusion-consent-sweep");
                t.setDaemon(true);
                return t;
            });
            ConsentService consent = new ConsentService(store, policy, clock);
            sweeper.scheduleWithFixedDelay(() -> sweep(consent), 1, 60, TimeUnit.MINUTES);
            return new FusionServer(store, http, credentials, audit, sweeper, actions);
        } catch (RuntimeException e) {
            if (actions != null) actions.close();
            if (audit != null) audit.close();
            store.close();
            throw e;
        }
    }

    private static void sweep(ConsentService consent) {
        try {
            var expiring = consent.expiring(Duration.ofDays(30));
            if (!expiring.isEmpty()) {
                LOG.info("consent sweep: {} grants lapse within 30 days, the first at {} (GET /api/consents/expiring)",
                        expiring.size(), expiring.get(0).verdict().validUntil());
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

    /** The next-best-action service: decisions, their schedule and delivery. */
    public NextBestActions actions() {
        return actions;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        http.stop();
        actions.close();
        audit.close();
        store.close();
    }
}
