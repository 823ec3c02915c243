package fusion.server;

import java.util.Locale;
import java.util.Optional;

/**
 * Every option a server starts with, in one table: its key in a configuration file, its flag, its
 * environment variable, its default and what it means. {@link ConfigValues} resolves each one from
 * these sources (a flag over the environment over the file over the default) and validates the
 * whole; {@code ./fusion config} prints the table with the value in force and where it came from.
 *
 * <p>Secrets have no flag (a flag is visible to every user of the machine in the process list) and
 * are never printed: {@link #secret()} settings show as {@code <redacted>}, and a store URL shows
 * without its password.
 */
public enum Setting {
    HOST("host", "--host", "FUSION_HOST", "127.0.0.1", "ADDRESS", "address to listen on (0.0.0.0 for every interface)"),
    PORT("port", "--port", "FUSION_PORT", "7070", "PORT", "HTTP port, 0 to 65535 (0 picks a free one)"),
    DATA(
            "data",
            "--data",
            "FUSION_DATA_DIR",
            null,
            "DIR",
            "data directory: the embedded store, generated secrets, server.json (serve: ./fusion-data, "
                    + "demo: ./fusion-demo)"),
    STORE(
            "store",
            "--store",
            "FUSION_STORE",
            null,
            "URL",
            "postgresql://user:password@host:port/database to store in PostgreSQL instead of the embedded store"),
    CURRENCY(
            "currency",
            "--currency",
            "FUSION_CURRENCY",
            "USD",
            "CODE",
            "ISO 4217 code of the money the events carry, shown with every amount on the dashboard (the "
                    + "demo's is USD)"),
    MODEL(
            "model",
            "--model",
            "FUSION_MODEL",
            null,
            "FILE",
            "properties file overriding scoring parameters (their table: fusion config --model FILE)"),
    CONSENT(
            "consent",
            "--consent",
            "FUSION_CONSENT",
            null,
            "SPEC",
            "consent defaults and grant lifetimes, e.g. personalisation=granted,marketing.maxAge=P90D "
                    + "(docs/CONSENT.md)"),
    WEBHOOKS(
            "webhooks",
            "--webhooks",
            "FUSION_WEBHOOKS",
            null,
            "FILE",
            "JSON file of decision webhooks per channel, with their timeouts and retries (docs/DECISIONS.md); "
                    + "without it decisions are recorded, not delivered"),
    DECIDE_ON_EVENTS(
            "decide-on-events",
            "--decide-on-events",
            "FUSION_DECIDE_ON_EVENTS",
            "false",
            "BOOLEAN",
            "decide the next best action for the people each committed batch touched, for the own brand of each "
                    + "event"),
    OWN_BRANDS(
            "own-brands",
            "--own-brands",
            "FUSION_OWN_BRANDS",
            "own",
            "LIST",
            "the brands Fusion decides for, separated by commas; the first decides when a request names no brand"),
    CATALOGUE(
            "catalogue",
            "--catalogue",
            "FUSION_CATALOGUE",
            null,
            "FILE",
            "JSON action catalogue replacing the default one (docs/DECISIONS.md)"),
    LIMITS(
            "limits",
            "--limits",
            "FUSION_LIMITS",
            null,
            "SPEC",
            "contact caps and quiet hours, e.g. overall=3/P7D,email=1/P1D,quiet=21:00-08:00 (docs/DECISIONS.md)"),
    TRACKING_PLAN(
            "tracking-plan",
            "--tracking-plan",
            "FUSION_TRACKING_PLAN",
            null,
            "FILE",
            "JSON or YAML tracking plan: events as interactions, their expected properties, a mode per source "
                    + "(docs/SEGMENT.md); without it, the default plan"),
    INGEST_PLACES(
            "ingest.places",
            "--ingest-places",
            "FUSION_INGEST_PLACES",
            "16",
            "N",
            "ingest requests parsed and waiting for the store at once, 1 to 1024"),
    INGEST_WAIT(
            "ingest.wait",
            "--ingest-wait",
            "FUSION_INGEST_WAIT",
            "2s",
            "DURATION",
            "how long one more ingest request waits for a place before 503 (0 to 1min)"),
    INGEST_RETRY_AFTER(
            "ingest.retry-after",
            "--ingest-retry-after",
            "FUSION_INGEST_RETRY_AFTER",
            "1s",
            "DURATION",
            "the Retry-After a busy ingest answer gives, in whole seconds (0 to 3600s)"),
    INGEST_BODY_TIME(
            "ingest.body-time",
            "--ingest-body-time",
            "FUSION_INGEST_BODY_TIME",
            "20s",
            "DURATION",
            "how long a request body may take to arrive before the connection is closed (1s to 10m)"),
    INGEST_UNAUTHENTICATED_READS(
            "ingest.unauthenticated-reads",
            "--ingest-unauthenticated-reads",
            "FUSION_INGEST_UNAUTHENTICATED_READS",
            "32",
            "N",
            "requests without credentials in their headers reading their body at once, 1 to 1024"),
    STORE_WRITER_GROUP(
            "store.writer-group",
            "--store-writer-group",
            "FUSION_STORE_WRITER_GROUP",
            "32",
            "N",
            "at most this many requests' batches share one store transaction and its fsync, 1 to 1024"),
    STORE_READ_POOL(
            "store.read-pool",
            "--store-read-pool",
            "FUSION_STORE_READ_POOL",
            "4",
            "N",
            "read connections to the store, 1 to 64"),
    STORE_CACHED_PARTIES(
            "store.cached-parties",
            "--store-cached-parties",
            "FUSION_STORE_CACHED_PARTIES",
            "100000",
            "N",
            "parties whose relationship states the writer keeps in memory, 1000 to 10000000"),
    STORE_CACHED_IDENTITIES(
            "store.cached-identities",
            "--store-cached-identities",
            "FUSION_STORE_CACHED_IDENTITIES",
            "200000",
            "N",
            "identities (and profiles) whose links the writer keeps in memory, 1000 to 10000000"),
    STORE_INDEX_RUN(
            "store.index-run",
            "--store-index-run",
            "FUSION_STORE_INDEX_RUN",
            "100000",
            "N",
            "entries of the log's sorted indexes per run: the recent table moves into a run at this size, 2 to 10000000"),
    STORE_RELATIONSHIP_SNAPSHOT(
            "store.relationship-snapshot",
            "--store-relationship-snapshot",
            "FUSION_STORE_RELATIONSHIP_SNAPSHOT",
            "50000",
            "N",
            "pairs whose relationship state waits in memory before the writer writes them into their table "
                    + "(SQLite; at least every 5 s), 1 to 10000000"),
    STORE_DEDUP_WINDOW(
            "store.dedup-window",
            "--store-dedup-window",
            "FUSION_STORE_DEDUP_WINDOW",
            "2000000",
            "N",
            "a call is a duplicate when its messageId is that of one of the log's newest N events (SQLite, "
                    + "kept in memory, about 25 bytes each; PostgreSQL checks the whole log), 1 to 8000000"),
    AUDIT_SYNC(
            "audit.sync",
            "--audit-sync",
            "FUSION_AUDIT_SYNC",
            "each",
            "MODE",
            "when a read's audit entry counts as written: each (flushed to the device first) or interval "
                    + "(committed first, flushed within audit.sync-interval; docs/SECURITY.md, Audit)"),
    AUDIT_SYNC_INTERVAL(
            "audit.sync-interval",
            "--audit-sync-interval",
            "FUSION_AUDIT_SYNC_INTERVAL",
            "100ms",
            "DURATION",
            "with audit.sync=interval: how long a committed audit entry may wait for its flush, 1ms to 10s"),
    LOG(
            "log",
            "--log",
            "FUSION_LOG",
            null,
            "URL",
            "serve: kafka://HOST:PORT/TOPIC to produce accepted calls to this existing Kafka topic instead of the "
                    + "store's own log, as the stateless ingest tier of a cluster (needs a PostgreSQL store; "
                    + "docs/SCALE-OUT.md)"),
    LOG_TIMEOUT(
            "log.timeout",
            "--log-timeout",
            "FUSION_LOG_TIMEOUT",
            "10s",
            "DURATION",
            "serve with a Kafka log: how long a batch waits for the broker's acknowledgement before it is answered "
                    + "503, 1s to 10min"),
    LOG_TO(
            "log-to",
            "--log-to",
            "FUSION_LOG_TO",
            "stderr",
            "TARGET",
            "where the server writes its own log: stderr, stdout or a file path (--log is the event log: serve)"),
    WRITE_KEY(
            "write-key",
            null,
            "FUSION_WRITE_KEY",
            null,
            "SECRET",
            "the bootstrap write key (else generated once into DATA/secrets.properties)"),
    ADMIN_TOKEN(
            "admin-token",
            null,
            "FUSION_ADMIN_TOKEN",
            null,
            "SECRET",
            "the bootstrap admin token (else generated once into DATA/secrets.properties)");

    private final String key;
    private final String flag;
    private final String env;
    private final String defaultValue;
    private final String label;
    private final String meaning;

    Setting(String key, String flag, String env, String defaultValue, String label, String meaning) {
        this.key = key;
        this.flag = flag;
        this.env = env;
        this.defaultValue = defaultValue;
        this.label = label;
        this.meaning = meaning;
    }

    /** Its key in a configuration file, such as {@code ingest.places}. */
    public String key() {
        return key;
    }

    /** Its command-line flag; none for a secret. */
    public Optional<String> flag() {
        return Optional.ofNullable(flag);
    }

    /** Its environment variable, such as {@code FUSION_PORT}. */
    public String env() {
        return env;
    }

    /** Its default as text; none when unset means "not used" (no PostgreSQL, no webhooks, ...). */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** What kind of value it takes, e.g. {@code DURATION}. */
    public String label() {
        return label;
    }

    public String meaning() {
        return meaning;
    }

    /** Never printed: shown as {@code <redacted>}. */
    public boolean secret() {
        return flag == null;
    }

    /** How a refusal names it: every way to set it, e.g. {@code --port (FUSION_PORT, port=)}. */
    public String names() {
        return (flag == null ? "" : flag + " (") + env + ", file key " + key + (flag == null ? "" : ")");
    }

    /** The setting a configuration file names by {@code key}, if any. */
    public static Optional<Setting> byKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (Setting s : values()) {
            if (s.key.equals(k)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
