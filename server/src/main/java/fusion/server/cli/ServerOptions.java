package fusion.server.cli;

import fusion.core.engine.ModelConfig;
import fusion.server.ConfigValues;
import fusion.server.FusionServer;
import fusion.server.Setting;
import fusion.server.access.Credentials;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags shared by {@code serve}, {@code demo}, {@code replay} and {@code config}. A flag carries
 * no default of its own: it is only the strongest source of a {@link Setting}, resolved with the
 * environment, the configuration file and the defaults by {@link ConfigValues} (see
 * docs/CONFIGURATION.md for the order).
 */
final class ServerOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "properties file of settings (keys as in: fusion config), weaker than flags and the "
                    + "environment (or set FUSION_CONFIG)")
    Path config;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "HTTP port, 0 picks a free one (or set FUSION_PORT; default 7070)")
    String port;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description = "address to listen on, 0.0.0.0 for every interface (or set FUSION_HOST; default 127.0.0.1)")
    String host;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "data directory: the embedded store and generated "
                    + "secrets (or set FUSION_DATA_DIR; default ./fusion-data, for the demo ./fusion-demo)")
    String data;

    @Option(
            names = "--store",
            paramLabel = "URL",
            description = "postgresql://user:password@host:port/database to store in PostgreSQL instead of the "
                    + "embedded store (or set FUSION_STORE)")
    String store;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "properties file overriding scoring parameters (or set FUSION_MODEL; see: fusion config)")
    String model;

    @Option(
            names = "--consent",
            paramLabel = "SPEC",
            description = "consent defaults and grant lifetimes, e.g. personalisation=granted,marketing.maxAge=P90D "
                    + "(or set FUSION_CONSENT; see docs/CONSENT.md)")
    String consent;

    @Option(
            names = "--webhooks",
            paramLabel = "FILE",
            description = "JSON file of decision webhooks per channel (or set FUSION_WEBHOOKS; see docs/DECISIONS.md); "
                    + "without it decisions are recorded, not delivered")
    String webhooks;

    @Option(
            names = "--decide-on-events",
            arity = "0..1",
            paramLabel = "BOOLEAN",
            fallbackValue = "true",
            description = "decide the next best action for the people each committed batch touched, for the own "
                    + "brand of each event (see --own-brands; or set FUSION_DECIDE_ON_EVENTS=true)")
    String decideOnEvents;

    @Option(
            names = "--own-brands",
            paramLabel = "LIST",
            description = "the brands Fusion decides for, separated by commas, e.g. glitter,brewline (or set "
                    + "FUSION_OWN_BRANDS; default: own). The first decides when a request names no brand; events of "
                    + "other brands, and any flagged competitor, never trigger a decision")
    String ownBrands;

    @Option(
            names = "--catalogue",
            paramLabel = "FILE",
            description = "JSON action catalogue replacing the default one (or set FUSION_CATALOGUE; the format is "
                    + "in docs/DECISIONS.md)")
    String catalogue;

    @Option(
            names = "--tracking-plan",
            paramLabel = "FILE",
            description = "JSON or YAML tracking plan: events as interactions, their expected properties, a mode per "
                    + "source (or set FUSION_TRACKING_PLAN; see docs/SEGMENT.md)")
    String trackingPlan;

    @Option(
            names = "--limits",
            paramLabel = "SPEC",
            description = "contact caps and quiet hours, e.g. overall=3/P7D,email=1/P1D,quiet=21:00-08:00 "
                    + "(or set FUSION_LIMITS; see docs/DECISIONS.md)")
    String limits;

    @Option(
            names = "--currency",
            paramLabel = "CODE",
            description = "ISO 4217 code of the money in the events, shown with every amount on the dashboard "
                    + "(or set FUSION_CURRENCY; default USD, the demo's)")
    String currency;

    @Option(
            names = "--store-writer-group",
            paramLabel = "N",
            description = "batches sharing one store transaction and its fsync, 1 to 1024 (or set "
                    + "FUSION_STORE_WRITER_GROUP; default 32)")
    String storeWriterGroup;

    @Option(
            names = "--store-read-pool",
            paramLabel = "N",
            description = "read connections to the store, 1 to 64 (or set FUSION_STORE_READ_POOL; default 4)")
    String storeReadPool;

    @Option(
            names = "--store-cached-parties",
            paramLabel = "N",
            description = "parties whose relationship states the writer keeps in memory, 1000 to 10000000 (or set "
                    + "FUSION_STORE_CACHED_PARTIES; default 100000)")
    String storeCachedParties;

    @Option(
            names = "--store-cached-identities",
            paramLabel = "N",
            description = "identities whose links the writer keeps in memory, 1000 to 10000000 (or set "
                    + "FUSION_STORE_CACHED_IDENTITIES; default 200000)")
    String storeCachedIdentities;

    @Option(
            names = "--store-index-run",
            paramLabel = "N",
            description = "entries of the log's sorted indexes per run (docs/STORAGE.md, Sorted runs), 2 to 10000000 "
                    + "(or set FUSION_STORE_INDEX_RUN; default 100000)")
    String storeIndexRun;

    @Option(
            names = "--store-relationship-snapshot",
            paramLabel = "N",
            description = "pairs whose relationship state waits in memory before it is written into their table "
                    + "(docs/STORAGE.md, Relationship snapshots), 1 to 10000000 "
                    + "(or set FUSION_STORE_RELATIONSHIP_SNAPSHOT; default 50000)")
    String storeRelationshipSnapshot;

    @Option(
            names = "--store-dedup-window",
            paramLabel = "N",
            description = "a call is a duplicate when its messageId is that of one of the log's newest N events "
                    + "(SQLite; docs/STORAGE.md, Duplicates), 1 to 8000000 "
                    + "(or set FUSION_STORE_DEDUP_WINDOW; default 2000000)")
    String storeDedupWindow;

    @Option(
            names = "--audit-sync",
            paramLabel = "MODE",
            description = "when a read's audit entry counts as written: each (flushed to the device before the "
                    + "answer) or interval (committed before the answer, flushed within --audit-sync-interval; "
                    + "docs/SECURITY.md, Audit) (or set FUSION_AUDIT_SYNC; default each)")
    String auditSync;

    @Option(
            names = "--audit-sync-interval",
            paramLabel = "DURATION",
            description = "with --audit-sync interval: how long a committed audit entry may wait for its flush, "
                    + "1ms to 10s (or set FUSION_AUDIT_SYNC_INTERVAL; default 100ms)")
    String auditSyncInterval;

    @Option(
            names = "--ingest-places",
            paramLabel = "N",
            description = "ingest requests parsed and waiting for the store at once, 1 to 1024 (or set "
                    + "FUSION_INGEST_PLACES; default 16)")
    String ingestPlaces;

    @Option(
            names = "--ingest-wait",
            paramLabel = "DURATION",
            description = "how long one more ingest request waits for a place before 503, e.g. 2s (or set "
                    + "FUSION_INGEST_WAIT; default 2s)")
    String ingestWait;

    @Option(
            names = "--ingest-retry-after",
            paramLabel = "DURATION",
            description = "the Retry-After of a busy ingest answer (or set FUSION_INGEST_RETRY_AFTER; default 1s)")
    String ingestRetryAfter;

    @Option(
            names = "--ingest-body-time",
            paramLabel = "DURATION",
            description = "how long a request body may take to arrive (or set FUSION_INGEST_BODY_TIME; default 20s)")
    String ingestBodyTime;

    @Option(
            names = "--ingest-unauthenticated-reads",
            paramLabel = "N",
            description = "requests without credentials in their headers reading a body at once (or set "
                    + "FUSION_INGEST_UNAUTHENTICATED_READS; default 32)")
    String ingestUnauthenticatedReads;

    @Option(
            names = "--log-to",
            paramLabel = "TARGET",
            description = "where the server writes its own log: stderr, stdout or a file (or set FUSION_LOG_TO; "
                    + "default stderr)")
    String logTo;

    /** Flags a command declares for itself (serve's --log), given to {@link #values} with the others. */
    private final Map<Setting, String> commandFlags = new EnumMap<>(Setting.class);

    /** A flag of the command's own, such as serve's {@code --log}; before {@link #values}. */
    void flag(Setting s, String value) {
        if (resolved != null) throw new IllegalStateException("the settings were already resolved");
        put(commandFlags, s, value);
    }

    /** The environment the settings are read from; tests give their own. */
    Map<String, String> env = System.getenv();

    private ConfigValues resolved;

    /** Every setting resolved and validated, once: a bad one fails here, before anything is opened. */
    ConfigValues values() {
        if (resolved == null) {
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            put(flags, Setting.HOST, host);
            put(flags, Setting.PORT, port);
            put(flags, Setting.CURRENCY, currency);
            put(flags, Setting.DATA, data);
            put(flags, Setting.STORE, store);
            put(flags, Setting.MODEL, model);
            put(flags, Setting.CONSENT, consent);
            put(flags, Setting.WEBHOOKS, webhooks);
            put(flags, Setting.DECIDE_ON_EVENTS, decideOnEvents);
            put(flags, Setting.OWN_BRANDS, ownBrands);
            put(flags, Setting.CATALOGUE, catalogue);
            put(flags, Setting.LIMITS, limits);
            put(flags, Setting.TRACKING_PLAN, trackingPlan);
            put(flags, Setting.STORE_WRITER_GROUP, storeWriterGroup);
            put(flags, Setting.STORE_READ_POOL, storeReadPool);
            put(flags, Setting.STORE_CACHED_PARTIES, storeCachedParties);
            put(flags, Setting.STORE_CACHED_IDENTITIES, storeCachedIdentities);
            put(flags, Setting.STORE_INDEX_RUN, storeIndexRun);
            put(flags, Setting.STORE_RELATIONSHIP_SNAPSHOT, storeRelationshipSnapshot);
            put(flags, Setting.STORE_DEDUP_WINDOW, storeDedupWindow);
            put(flags, Setting.AUDIT_SYNC, auditSync);
            put(flags, Setting.AUDIT_SYNC_INTERVAL, auditSyncInterval);
            put(flags, Setting.INGEST_PLACES, ingestPlaces);
            put(flags, Setting.INGEST_WAIT, ingestWait);
            put(flags, Setting.INGEST_RETRY_AFTER, ingestRetryAfter);
            put(flags, Setting.INGEST_BODY_TIME, ingestBodyTime);
            put(flags, Setting.INGEST_UNAUTHENTICATED_READS, ingestUnauthenticatedReads);
            put(flags, Setting.LOG_TO, logTo);
            flags.putAll(commandFlags);
            resolved = ConfigValues.resolve(flags, Optional.ofNullable(config), env);
        }
        return resolved;
    }

    private static void put(Map<Setting, String> flags, Setting s, String value) {
        if (value != null) flags.put(s, value);
    }

    /** The tracking plan: the pipeline maps with it, and ingest checks against it. */
    fusion.core.segment.TrackingPlan trackingPlan() {
        return values().trackingPlan();
    }

    ModelConfig modelConfig() {
        return values().model();
    }

    String host() {
        return values().host();
    }

    int port() {
        return values().port();
    }

    Path dataDir(String fallback) {
        return values().data(fallback);
    }

    boolean onPostgres() {
        return values().store().isPresent();
    }

    /**
     * Sends the server's log where {@link Setting#LOG_TO} says. It must run before the first logger
     * is made (the simple logger reads its target once).
     */
    void directLog() {
        String target = values().logTo();
        System.setProperty(
                "org.slf4j.simpleLogger.logFile",
                switch (target) {
                    case "stderr" -> "System.err";
                    case "stdout" -> "System.out";
                    default -> target;
                });
    }

    /**
     * The store these options name. The embedded store is created and migrated as needed; a
     * PostgreSQL schema is migrated only when {@code migrate} (else it must be current).
     */
    Store openStore(ModelConfig model, Path dataDir, boolean migrate) {
        var pipeline = FusionServer.pipeline(model, values().trackingPlan());
        var url = values().store();
        var sizes = values().storeSettings();
        if (url.isPresent()) return SqlStore.postgres(url.get(), pipeline, migrate, sizes);
        return SqlStore.sqlite(dataDir, pipeline, sizes);
    }

    /** What the server is started with: these settings, its credentials, the system clock. */
    fusion.server.FusionConfig config(Credentials credentials) {
        return values().server(credentials, java.time.Clock.systemUTC());
    }

    /** The configured secrets over the real environment, as {@link Secrets#open} reads them. */
    Map<String, String> secretsEnv() {
        Map<String, String> m = new java.util.HashMap<>(env);
        m.putAll(values().secrets());
        return m;
    }

    String describe(Path dataDir) {
        return values().store()
                .map(u -> u.redacted())
                .orElseGet(() -> dataDir.toAbsolutePath().toString());
    }
}
