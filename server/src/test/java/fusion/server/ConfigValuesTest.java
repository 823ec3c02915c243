package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.InvalidInput;
import fusion.server.http.Admission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValuesTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("issue 13: a flag wins over the environment, the environment over the file, the file over the default")
    void theOrderIsFlagEnvFileDefault() throws Exception {
        Path file = dir.resolve("fusion.properties");
        Files.writeString(
                file,
                "port=7100\nhost=10.0.0.1\ningest.places=8\nlog-to=" + dir.resolve("f.log") + "\n"
                        + "ingest.wait=500ms\n");
        ConfigValues v = ConfigValues.resolve(
                Map.of(Setting.PORT, "7300"),
                Optional.of(file),
                Map.of("FUSION_PORT", "7200", "FUSION_INGEST_PLACES", "4", "FUSION_HOST", "  "));
        assertThat(v.port()).isEqualTo(7300);
        assertThat(v.value(Setting.PORT).source()).isEqualTo(ConfigValues.Source.FLAG);
        assertThat(v.value(Setting.INGEST_PLACES).source()).isEqualTo(ConfigValues.Source.ENV);
        assertThat(v.value(Setting.INGEST_PLACES).origin()).isEqualTo("env FUSION_INGEST_PLACES");
        // a blank variable counts as unset, so the file's host stands
        assertThat(v.host()).isEqualTo("10.0.0.1");
        assertThat(v.value(Setting.HOST).origin()).isEqualTo("file " + file);
        assertThat(v.logTo()).isEqualTo(dir.resolve("f.log").toString());
        assertThat(v.value(Setting.OWN_BRANDS).source()).isEqualTo(ConfigValues.Source.DEFAULT);
        assertThat(v.decisions().ownBrands()).containsExactly("own");
        // 4 places (env), 500 ms wait (file), and the defaults: Retry-After 1 s, 20 s for a body, 32 readers
        assertThat(v.admission())
                .isEqualTo(new Admission.Limits(4, Duration.ofMillis(500), 1, Duration.ofSeconds(20), 32));
        assertThat(v.data("fusion-data")).isEqualTo(Path.of("fusion-data"));
        assertThat(v.store()).isEmpty();
    }

    @Test
    @DisplayName("issue 14 leftovers item 3: serve's Kafka log and its timeout are settings like the others: flag, "
            + "FUSION_LOG and FUSION_LOG_TIMEOUT, file keys log and log.timeout, default 10s")
    void theKafkaLogIsASetting() throws Exception {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "log=kafka://k1:9092,k2:9092/calls\nlog.timeout=30s\n");

        ConfigValues fromFile = ConfigValues.resolve(Map.of(), Optional.of(file), Map.of());
        assertThat(fromFile.log()).contains(new fusion.server.log.KafkaUrl(List.of("k1:9092", "k2:9092"), "calls"));
        assertThat(fromFile.logTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fromFile.value(Setting.LOG).source()).isEqualTo(ConfigValues.Source.FILE);

        ConfigValues fromEnv = ConfigValues.resolve(
                Map.of(),
                Optional.of(file),
                Map.of("FUSION_LOG", "kafka://k3:9092/other", "FUSION_LOG_TIMEOUT", "PT5S"));
        assertThat(fromEnv.log().orElseThrow().topic()).isEqualTo("other");
        assertThat(fromEnv.logTimeout()).isEqualTo(Duration.ofSeconds(5));

        ConfigValues fromFlag = ConfigValues.resolve(
                Map.of(Setting.LOG, "kafka://k4:9092/flagged", Setting.LOG_TIMEOUT, "2min"),
                Optional.empty(),
                Map.of("FUSION_LOG", "kafka://k3:9092/other"));
        assertThat(fromFlag.log().orElseThrow().topic()).isEqualTo("flagged");
        assertThat(fromFlag.logTimeout()).isEqualTo(Duration.ofMinutes(2));

        ConfigValues none = ConfigValues.of(Map.of());
        assertThat(none.log()).isEmpty();
        assertThat(none.logTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Setting.LOG.flag()).contains("--log");
        assertThat(Setting.LOG_TIMEOUT.flag()).contains("--log-timeout");
    }

    @Test
    @DisplayName("issue 13: FUSION_CONFIG names the file when no --config flag does, and the flag wins over it")
    void theConfigFileComesFromTheFlagOrTheEnvironment() throws Exception {
        Path a = Files.writeString(dir.resolve("a.properties"), "port=7001\n");
        Path b = Files.writeString(dir.resolve("b.properties"), "port=7002\n");
        assertThat(ConfigValues.resolve(Map.of(), Optional.empty(), Map.of("FUSION_CONFIG", a.toString()))
                        .port())
                .isEqualTo(7001);
        assertThat(ConfigValues.resolve(Map.of(), Optional.of(b), Map.of("FUSION_CONFIG", a.toString()))
                        .port())
                .isEqualTo(7002);
        assertThat(ConfigValues.of(Map.of()).port()).isEqualTo(7070);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(
                        Setting.HOST,
                        " ",
                        "--host (FUSION_HOST, file key host): expected an address such as "
                                + "127.0.0.1 but was empty"),
                Arguments.of(
                        Setting.PORT,
                        "70000",
                        "--port (FUSION_PORT, file key port): expected 0 to 65535 "
                                + "(given '70000' by env FUSION_PORT)"),
                Arguments.of(
                        Setting.PORT,
                        "http",
                        "--port (FUSION_PORT, file key port): expected a whole number "
                                + "from 0 to 65535 (given 'http' by env FUSION_PORT)"),
                Arguments.of(Setting.DATA, "a\0b", "--data (FUSION_DATA_DIR, file key data): "),
                Arguments.of(
                        Setting.STORE,
                        "mysql://u:hunter2@db/x",
                        "--store (FUSION_STORE, file key store): store: "
                                + "expected a postgresql:// URL but the scheme was 'mysql' (given an unreadable URL by env "
                                + "FUSION_STORE)"),
                Arguments.of(
                        Setting.MODEL,
                        "/no/such/model.properties",
                        "--model (FUSION_MODEL, file key model): " + "no such file /no/such/model.properties"),
                Arguments.of(Setting.CONSENT, "marketing=perhaps", "--consent (FUSION_CONSENT, file key consent): "),
                Arguments.of(
                        Setting.WEBHOOKS,
                        "/no/such/hooks.json",
                        "--webhooks (FUSION_WEBHOOKS, file key " + "webhooks): "),
                Arguments.of(
                        Setting.DECIDE_ON_EVENTS,
                        "yes",
                        "--decide-on-events (FUSION_DECIDE_ON_EVENTS, file key "
                                + "decide-on-events): expected true or false (given 'yes' by env FUSION_DECIDE_ON_EVENTS)"),
                Arguments.of(Setting.OWN_BRANDS, ",", "--own-brands (FUSION_OWN_BRANDS, file key own-brands): "),
                Arguments.of(
                        Setting.CATALOGUE,
                        "/no/such/catalogue.json",
                        "--catalogue (FUSION_CATALOGUE, file key "
                                + "catalogue): no such file /no/such/catalogue.json"),
                Arguments.of(Setting.LIMITS, "overall=lots", "--limits (FUSION_LIMITS, file key limits): "),
                Arguments.of(
                        Setting.STORE_WRITER_GROUP,
                        "0",
                        "--store-writer-group (FUSION_STORE_WRITER_GROUP, file key store.writer-group): expected 1 to "
                                + "1024 (given '0' by env FUSION_STORE_WRITER_GROUP)"),
                Arguments.of(
                        Setting.STORE_READ_POOL,
                        "65",
                        "--store-read-pool (FUSION_STORE_READ_POOL, file key store.read-pool): expected 1 to 64 "
                                + "(given '65' by env FUSION_STORE_READ_POOL)"),
                Arguments.of(
                        Setting.STORE_CACHED_PARTIES,
                        "999",
                        "--store-cached-parties (FUSION_STORE_CACHED_PARTIES, file key store.cached-parties): "
                                + "expected 1000 to 10000000 (given '999' by env FUSION_STORE_CACHED_PARTIES)"),
                Arguments.of(
                        Setting.STORE_CACHED_IDENTITIES,
                        "lots",
                        "--store-cached-identities (FUSION_STORE_CACHED_IDENTITIES, file key store.cached-identities): "),
                Arguments.of(
                        Setting.STORE_INDEX_RUN,
                        "1",
                        "--store-index-run (FUSION_STORE_INDEX_RUN, file key store.index-run): "
                                + "expected 2 to 10000000 (given '1' by env FUSION_STORE_INDEX_RUN)"),
                Arguments.of(
                        Setting.STORE_RELATIONSHIP_SNAPSHOT,
                        "0",
                        "--store-relationship-snapshot (FUSION_STORE_RELATIONSHIP_SNAPSHOT, file key "
                                + "store.relationship-snapshot): expected 1 to 10000000 (given '0' by env "
                                + "FUSION_STORE_RELATIONSHIP_SNAPSHOT)"),
                Arguments.of(
                        Setting.STORE_DEDUP_WINDOW,
                        "8000001",
                        "--store-dedup-window (FUSION_STORE_DEDUP_WINDOW, file key store.dedup-window): "
                                + "expected 1 to 8000000 (given '8000001' by env FUSION_STORE_DEDUP_WINDOW)"),
                Arguments.of(
                        Setting.AUDIT_SYNC,
                        "sometimes",
                        "--audit-sync (FUSION_AUDIT_SYNC, file key audit.sync): expected each or interval but was "
                                + "'sometimes' (given 'sometimes' by env FUSION_AUDIT_SYNC)"),
                Arguments.of(
                        Setting.AUDIT_SYNC_INTERVAL,
                        "0",
                        "--audit-sync-interval (FUSION_AUDIT_SYNC_INTERVAL, file key audit.sync-interval): "
                                + "expected 1ms to 10s (given '0' by env FUSION_AUDIT_SYNC_INTERVAL)"),
                Arguments.of(
                        Setting.AUDIT_SYNC_INTERVAL,
                        "11s",
                        "--audit-sync-interval (FUSION_AUDIT_SYNC_INTERVAL, file key audit.sync-interval): "
                                + "expected 1ms to 10s (given '11s' by env FUSION_AUDIT_SYNC_INTERVAL)"),
                Arguments.of(
                        Setting.INGEST_PLACES,
                        "0",
                        "--ingest-places (FUSION_INGEST_PLACES, file key "
                                + "ingest.places): expected 1 to 1024 (given '0' by env FUSION_INGEST_PLACES)"),
                Arguments.of(
                        Setting.INGEST_WAIT,
                        "a while",
                        "--ingest-wait (FUSION_INGEST_WAIT, file key "
                                + "ingest.wait): expected a duration such as 500ms, 2s, 5min, 1h or PT2S, from 0 to 1min"),
                Arguments.of(
                        Setting.INGEST_WAIT,
                        "2min",
                        "--ingest-wait (FUSION_INGEST_WAIT, file key "
                                + "ingest.wait): expected 0 to 1min (given '2min' by env FUSION_INGEST_WAIT)"),
                Arguments.of(
                        Setting.INGEST_RETRY_AFTER,
                        "2h",
                        "--ingest-retry-after (FUSION_INGEST_RETRY_AFTER, "
                                + "file key ingest.retry-after): expected 0 to 1h"),
                Arguments.of(
                        Setting.INGEST_BODY_TIME,
                        "PT0S",
                        "--ingest-body-time (FUSION_INGEST_BODY_TIME, file "
                                + "key ingest.body-time): expected 1s to 10min"),
                Arguments.of(
                        Setting.INGEST_UNAUTHENTICATED_READS,
                        "2000",
                        "--ingest-unauthenticated-reads "
                                + "(FUSION_INGEST_UNAUTHENTICATED_READS, file key ingest.unauthenticated-reads): expected 1 "
                                + "to 1024"),
                Arguments.of(
                        Setting.LOG,
                        "http://k1:9092/calls",
                        "--log (FUSION_LOG, file key log): log: expected kafka://HOST:PORT/TOPIC but was "
                                + "'http://k1:9092/calls'"),
                Arguments.of(
                        Setting.LOG_TIMEOUT,
                        "500ms",
                        "--log-timeout (FUSION_LOG_TIMEOUT, file key log.timeout): expected 1s to 10min (given "
                                + "'500ms' by env FUSION_LOG_TIMEOUT)"),
                Arguments.of(
                        Setting.LOG_TO,
                        " ",
                        "--log-to (FUSION_LOG_TO, file key log-to): expected stderr, stdout or a file "
                                + "path but was empty"));
    }

    @Test
    @DisplayName("issue 18 audit.sync: each by default; --audit-sync interval with a whole number of milliseconds, or "
            + "a duration from the environment, reaches the store's settings")
    void theAuditSyncModeAndIntervalReachTheStoreSettings() {
        assertThat(ConfigValues.of(Map.of()).storeSettings().auditSync()).isEqualTo(fusion.store.sql.AuditSync.each());
        assertThat(ConfigValues.resolve(
                                Map.of(Setting.AUDIT_SYNC, "interval", Setting.AUDIT_SYNC_INTERVAL, "250"),
                                Optional.empty(),
                                Map.of())
                        .storeSettings()
                        .auditSync())
                .isEqualTo(fusion.store.sql.AuditSync.interval(java.time.Duration.ofMillis(250)));
        assertThat(ConfigValues.of(Map.of("FUSION_AUDIT_SYNC", "INTERVAL", "FUSION_AUDIT_SYNC_INTERVAL", "2s"))
                        .storeSettings()
                        .auditSync())
                .isEqualTo(fusion.store.sql.AuditSync.interval(java.time.Duration.ofSeconds(2)));
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @MethodSource("refusals")
    @DisplayName("issue 13: each bad setting is refused naming its flag, variable and file key, and what is accepted")
    void eachBadSettingIsRefusedNamingIt(Setting setting, String value, String message) {
        // through the environment (blank is unset there, so a blank value goes through a flag)
        boolean blank = value.isBlank();
        assertThatThrownBy(() -> ConfigValues.resolve(
                        blank ? Map.of(setting, value) : Map.of(),
                        Optional.empty(),
                        blank ? Map.of() : Map.of(setting.env(), value)))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    @DisplayName(
            "issue 13: a file key that names no setting is refused with the accepted keys, and a missing file by name")
    void aFileKeyThatNamesNoSettingIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("f.properties"), "prot=7070\n");
        assertThatThrownBy(() -> ConfigValues.resolve(Map.of(), Optional.of(file), Map.of()))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("--config (FUSION_CONFIG): " + file + ": unknown key 'prot'; expected one of "
                        + "[host, port, data, store,");
        Path missing = dir.resolve("none.properties");
        assertThatThrownBy(() -> ConfigValues.resolve(Map.of(), Optional.of(missing), Map.of()))
                .hasMessage("--config (FUSION_CONFIG): no such file " + missing);
    }

    @Test
    @DisplayName(
            "issue 15 item 2: the currency is USD unless set, any case of an ISO 4217 code, and a wrong one is refused by name")
    void theCurrencyIsAnIso4217Code() {
        assertThat(ConfigValues.of(Map.of())
                        .server(
                                new fusion.server.access.Credentials("wk-currency", "admin-currency"),
                                java.time.Clock.systemUTC())
                        .currency())
                .isEqualTo(java.util.Currency.getInstance("USD"));
        assertThat(ConfigValues.of(Map.of("FUSION_CURRENCY", "eur"))
                        .server(
                                new fusion.server.access.Credentials("wk-currency", "admin-currency"),
                                java.time.Clock.systemUTC())
                        .currency()
                        .getCurrencyCode())
                .isEqualTo("EUR");
        assertThatThrownBy(() -> ConfigValues.of(Map.of("FUSION_CURRENCY", "EURO")))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("--currency")
                .hasMessageContaining("expected an ISO 4217 code such as USD or EUR but was 'EURO'");
        assertThatThrownBy(() -> ConfigValues.of(Map.of("FUSION_CURRENCY", "XYZ")))
                .hasMessageContaining("'XYZ' is not an ISO 4217 currency code");
    }

    @Test
    @DisplayName("issue 13: a secret is never shown, and a store URL is shown without its password")
    void secretsAreRedacted() {
        ConfigValues v = ConfigValues.of(
                Map.of("FUSION_WRITE_KEY", "wk_secret", "FUSION_STORE", "postgresql://fusion:hunter2@db:5432/fusion"));
        assertThat(v.value(Setting.WRITE_KEY).shown()).isEqualTo("<redacted>");
        assertThat(v.value(Setting.STORE).shown()).doesNotContain("hunter2").contains("db:5432/fusion");
        assertThat(v.secrets()).isEqualTo(Map.of("FUSION_WRITE_KEY", "wk_secret"));
    }
}
