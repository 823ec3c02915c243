package fusion.server;

import fusion.core.consent.ConsentPolicy;
import fusion.core.engine.ModelConfig;
import fusion.core.model.InvalidInput;
import fusion.decisions.Catalogue;
import fusion.decisions.InvalidCatalogue;
import fusion.server.decisions.NextBestActions;
import fusion.server.decisions.Webhooks;
import fusion.server.http.Admission;
import fusion.server.log.KafkaUrl;
import fusion.store.sql.StoreUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration in force: every {@link Setting} resolved from its sources and validated, once,
 * as a whole. The order is fixed: <b>a flag wins over the environment, the environment over the
 * configuration file ({@code --config FILE} or {@code FUSION_CONFIG}), the file over the
 * default</b>. A blank environment variable counts as unset.
 *
 * <p>Construction is validation (the way {@code HikariConfig.validate()} runs before a pool
 * exists): every value is parsed, and every file it names is read, before anything is opened. The
 * first refusal is an {@link InvalidInput} whose field names every way to set the option (flag,
 * environment variable, file key) and whose problem says what was given, where, and what would be
 * accepted. A file key that names no setting is refused too, with the accepted keys: a typo must not
 * leave a default silently in force.
 */
public final class ConfigValues {
    /** Where a value came from, weakest first. */
    public enum Source {
        DEFAULT,
        FILE,
        ENV,
        FLAG;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One setting's value in force.
     *
     * @param raw    the text given, or none (unset, no default)
     * @param source where it came from
     * @param origin the source in words: {@code flag --port}, {@code env FUSION_PORT}, {@code file /etc/f.properties}
     */
    public record Value(Setting setting, Optional<String> raw, Source source, String origin) {
        /** As it may be shown: secrets redacted, a store URL without its password. */
        public String shown() {
            if (raw.isEmpty()) return "(unset)";
            if (setting.secret()) return "<redacted>";
            if (setting == Setting.STORE) return StoreUrl.parse(raw.get()).redacted();
            return raw.get();
        }
    }

    /** How the configuration file is named on the command line and in the environment. */
    public static final String CONFIG_FLAG = "--config", CONFIG_ENV = "FUSION_CONFIG";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|m|h)");

    private final Map<Setting, Value> values;
    private final Optional<Path> file;
    private final String host;
    private final int port;
    private final java.util.Currency currency;
    private final ModelConfig model;
    private final ConsentPolicy consent;
    private final NextBestActions.Settings decisions;
    private final Admission.Limits admission;
    private final fusion.store.sql.StoreSettings storeSettings;
    private final fusion.core.segment.TrackingPlan trackingPlan;
    private final Optional<KafkaUrl> log;
    private final Duration logTimeout;

    private ConfigValues(Map<Setting, Value> values, Optional<Path> file) {
        this.values = Collections.unmodifiableMap(values);
        this.file = file;
        this.host = check(Setting.HOST, s -> {
                    if (s.isBlank())
                        throw new IllegalArgumentException("expected an address such as 127.0.0.1 but was empty");
                    return s.trim();
                })
                .orElseThrow();
        this.port = check(Setting.PORT, s -> integer(s, 0, 65_535)).orElseThrow();
        this.currency = check(Setting.CURRENCY, ConfigValues::currency).orElseThrow();
        check(Setting.DATA, Path::of);
        check(Setting.STORE, StoreUrl::parse);
        this.model = check(Setting.MODEL, s -> model(Path.of(s))).orElseGet(ModelConfig::defaults);
        this.trackingPlan = check(Setting.TRACKING_PLAN, s -> fusion.server.plan.PlanFile.read(Path.of(s)))
                .orElseGet(fusion.server.plan.PlanFile::standard);
        this.consent = check(Setting.CONSENT, ConsentPolicy::parse).orElseGet(ConsentPolicy::standard);
        var delivery = check(Setting.WEBHOOKS, s -> Webhooks.load(Path.of(s))).flatMap(d -> d);
        boolean decide = check(Setting.DECIDE_ON_EVENTS, ConfigValues::bool).orElseThrow();
        var own = check(Setting.OWN_BRANDS, NextBestActions.Settings::parseOwnBrands)
                .orElseThrow();
        Catalogue catalogue =
                check(Setting.CATALOGUE, s -> catalogue(Path.of(s))).orElseGet(Catalogue::defaults);
        var limits = check(Setting.LIMITS, fusion.decisions.Limits::parse)
                .orElseGet(() -> fusion.decisions.Limits.parse(null));
        this.decisions = new NextBestActions.Settings(delivery, decide, own, catalogue, limits);
        this.admission = new Admission.Limits(
                check(Setting.INGEST_PLACES, s -> integer(s, 1, 1024)).orElseThrow(),
                check(Setting.INGEST_WAIT, s -> duration(s, Duration.ZERO, Duration.ofSeconds(60)))
                        .orElseThrow(),
                (int) check(Setting.INGEST_RETRY_AFTER, s -> duration(s, Duration.ZERO, Duration.ofHours(1)))
                        .orElseThrow()
                        .toSeconds(),
                check(Setting.INGEST_BODY_TIME, s -> duration(s, Duration.ofSeconds(1), Duration.ofMinutes(10)))
                        .orElseThrow(),
                check(Setting.INGEST_UNAUTHENTICATED_READS, s -> integer(s, 1, 1024))
                        .orElseThrow());
        this.storeSettings = new fusion.store.sql.StoreSettings(
                check(Setting.STORE_WRITER_GROUP, s -> integer(s, 1, 1024)).orElseThrow(),
                check(Setting.STORE_READ_POOL, s -> integer(s, 1, 64)).orElseThrow(),
                check(Setting.STORE_CACHED_PARTIES, s -> integer(s, 1_000, 10_000_000))
                        .orElseThrow(),
                check(Setting.STORE_CACHED_IDENTITIES, s -> integer(s, 1_000, 10_000_000))
                        .orElseThrow(),
                check(Setting.STORE_INDEX_RUN, s -> integer(s, 2, 10_000_000)).orElseThrow(),
                new fusion.store.sql.AuditSync(
                        check(Setting.AUDIT_SYNC, fusion.store.sql.AuditSync.Mode::of)
                                .orElseThrow(),
                        check(
                                        Setting.AUDIT_SYNC_INTERVAL,
                                        s -> duration(
                                                s.trim().matches("[0-9]+") ? s.trim() + "ms" : s,
                                                fusion.store.sql.AuditSync.MIN_INTERVAL,
                                                fusion.store.sql.AuditSync.MAX_INTERVAL))
                                .orElseThrow()),
                check(Setting.STORE_RELATIONSHIP_SNAPSHOT, s -> integer(s, 1, 10_000_000))
                        .orElseThrow(),
                check(Setting.STORE_DEDUP_WINDOW, s -> integer(s, 1, fusion.store.sql.StoreSettings.MAX_DEDUP_WINDOW))
                        .orElseThrow());
        // used by serve alone, which also checks that a Kafka log comes with a PostgreSQL store
        this.log = check(Setting.LOG, s -> KafkaUrl.parse(s.trim()));
        this.logTimeout = check(Setting.LOG_TIMEOUT, s -> duration(s, Duration.ofSeconds(1), Duration.ofMinutes(10)))
                .orElseThrow();
        check(Setting.LOG_TO, s -> {
            if (s.isBlank()) throw new IllegalArgumentException("expected stderr, stdout or a file path but was empty");
            return s;
        });
    }

    /**
     * Resolves every setting from {@code flags} (the ones given on the command line), {@code env}
     * and the configuration file that {@code configFlag}, else {@code FUSION_CONFIG} in {@code env},
     * names, then validates the whole.
     */
    public static ConfigValues resolve(Map<Setting, String> flags, Optional<Path> configFlag, Map<String, String> env) {
        Optional<Path> file = configFlag.or(() -> present(env.get(CONFIG_ENV)).map(Path::of));
        Properties fromFile = file.map(ConfigValues::readFile).orElseGet(Properties::new);
        Map<Setting, Value> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String flag = s.flag().isPresent() ? flags.get(s) : null;
            Optional<String> envValue = present(env.get(s.env()));
            String fileValue = fromFile.getProperty(s.key());
            Value v;
            if (flag != null) {
                v = new Value(
                        s, Optional.of(flag), Source.FLAG, "flag " + s.flag().orElseThrow());
            } else if (envValue.isPresent()) {
                v = new Value(s, envValue, Source.ENV, "env " + s.env());
            } else if (fileValue != null) {
                v = new Value(s, Optional.of(fileValue.trim()), Source.FILE, "file " + file.orElseThrow());
            } else {
                v = new Value(s, s.defaultValue(), Source.DEFAULT, "default");
            }
            values.put(s, v);
        }
        return new ConfigValues(values, file);
    }

    /** No flags, no file: the environment over the defaults. */
    public static ConfigValues of(Map<String, String> env) {
        return resolve(Map.of(), Optional.empty(), env);
    }

    public Value value(Setting s) {
        return values.get(s);
    }

    /** The configuration file read, if any. */
    public Optional<Path> file() {
        return file;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The data directory, or {@code fallback} (each command has its own) when none is configured. */
    public Path data(String fallback) {
        return value(Setting.DATA).raw().map(Path::of).orElse(Path.of(fallback));
    }

    /** The PostgreSQL store, when one is configured; the embedded store otherwise. */
    public Optional<StoreUrl> store() {
        return value(Setting.STORE).raw().map(StoreUrl::parse);
    }

    public ModelConfig model() {
        return model;
    }

    public ConsentPolicy consent() {
        return consent;
    }

    public NextBestActions.Settings decisions() {
        return decisions;
    }

    public Admission.Limits admission() {
        return admission;
    }

    /** The store's sizes (group commit, read connections, the writer's caches) and its audit sync. */
    public fusion.store.sql.StoreSettings storeSettings() {
        return storeSettings;
    }

    /** The tracking plan: the file's, or the default one. */
    public fusion.core.segment.TrackingPlan trackingPlan() {
        return trackingPlan;
    }

    /** The Kafka topic accepted calls go to ({@code serve} as the ingest tier of a cluster), if configured. */
    public Optional<KafkaUrl> log() {
        return log;
    }

    /** How long a batch waits for Kafka's acknowledgement before it is answered 503. */
    public Duration logTimeout() {
        return logTimeout;
    }

    /** Where the server logs: {@code stderr}, {@code stdout} or a file path. */
    public String logTo() {
        return value(Setting.LOG_TO).raw().orElseThrow();
    }

    /** The configured secrets, as {@code Secrets} reads them: environment variable name to value. */
    public Map<String, String> secrets() {
        Map<String, String> m = new java.util.HashMap<>();
        for (Setting s : new Setting[] {Setting.WRITE_KEY, Setting.ADMIN_TOKEN}) {
            value(s).raw().ifPresent(v -> m.put(s.env(), v));
        }
        return m;
    }

    /** The server's configuration: these values with its credentials and clock. */
    public FusionConfig server(fusion.server.access.Credentials credentials, java.time.Clock clock) {
        return new FusionConfig(host, port, credentials, clock, consent, decisions, model, admission)
                .withTrackingPlan(trackingPlan)
                .withCurrency(currency);
    }

    /** An ISO 4217 code such as USD or EUR, in any case. */
    static java.util.Currency currency(String s) {
        String code = s.trim().toUpperCase(java.util.Locale.ROOT);
        if (!code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("expected an ISO 4217 code such as USD or EUR but was '" + s + "'");
        }
        try {
            return java.util.Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + code + "' is not an ISO 4217 currency code (such as USD or EUR)");
        }
    }

    private <T> Optional<T> check(Setting s, Function<String, T> parse) {
        Value v = values.get(s);
        if (v.raw().isEmpty()) return Optional.empty();
        try {
            return Optional.of(parse.apply(v.raw().get()));
        } catch (InvalidInput | IllegalArgumentException | UncheckedIOException e) {
            String given = s.secret() ? "" : " (given " + quoted(v) + " by " + v.origin() + ")";
            throw new InvalidInput(s.names(), e.getMessage() + given);
        }
    }

    private static String quoted(Value v) {
        try {
            return "'" + v.shown() + "'";
        } catch (RuntimeException unreadable) {
            return "an unreadable URL";
        }
    }

    private static int integer(String s, int min, int max) {
        long n;
        try {
            n = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
        }
        if (n < min || n > max) throw new IllegalArgumentException("expected " + min + " to " + max);
        return (int) n;
    }

    private static boolean bool(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** {@code 500ms}, {@code 2s}, {@code 5min} (or {@code 5m}), {@code 1h}, or ISO-8601 ({@code PT2S}). */
    static Duration duration(String s, Duration min, Duration max) {
        String t = s.trim();
        Duration d;
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "min", "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected a duration such as 500ms, 2s, 5min, 1h or PT2S, from "
                        + human(min) + " to " + human(max));
            }
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("expected " + human(min) + " to " + human(max));
        }
        return d;
    }

    private static String human(Duration d) {
        if (d.isZero()) return "0";
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        if (d.toSeconds() % 60 != 0 || d.toSeconds() < 60) return d.toSeconds() + "s";
        return d.toSeconds() % 3600 != 0 || d.toSeconds() < 3600 ? d.toMinutes() + "min" : d.toHours() + "h";
    }

    private static ModelConfig model(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        return ModelConfig.of(p);
    }

    private static Catalogue catalogue(Path file) {
        try {
            return Catalogue.read(file);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(
                    e.getCause() instanceof NoSuchFileException
                            ? "no such file " + file
                            : "cannot read " + file + ": " + e.getCause().getMessage());
        } catch (InvalidCatalogue e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static Properties readFile(Path file) {
        Properties p = new Properties();
        String names = CONFIG_FLAG + " (" + CONFIG_ENV + ")";
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new InvalidInput(names, "no such file " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInput(names, "cannot read " + file + ": " + e.getMessage());
        }
        for (String key : p.stringPropertyNames()) {
            if (Setting.byKey(key).isEmpty()) {
                throw new InvalidInput(
                        names,
                        file + ": unknown key '" + key + "'; expected one of "
                                + java.util.Arrays.stream(Setting.values())
                                        .map(Setting::key)
                                        .toList());
            }
        }
        Properties normalised = new Properties();
        p.stringPropertyNames()
                .forEach(k ->
                        normalised.setProperty(Setting.byKey(k).orElseThrow().key(), p.getProperty(k)));
        return normalised;
    }

    private static Optional<String> present(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
