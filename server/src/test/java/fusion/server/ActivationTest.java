package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, activation: destinations against real receivers (a loopback HTTP server, an in-JVM
 * Kafka broker, files read back with commons-csv and Parquet's own reader). Who is sent and who is
 * left out is worked out by hand from the grants each test records.
 */
@DisplayName("issue 16 activation: destinations")
class ActivationTest {
    private static final String RULE = "{\"fact\":\"events\",\"purpose\":\"purchase\",\"gte\":1}";

    @TempDir
    Path dir;

    @TempDir
    Path exports;

    private static void buy(Running s, String user) {
        Running.Reply r = s.postJson(
                "/v1/batch",
                "{\"batch\":[{\"type\":\"track\",\"messageId\":\"" + user + "-" + System.nanoTime() + "\",\"userId\":\""
                        + user + "\",\"event\":\"Order Completed\"}]}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    /** An event that is not a purchase: the person exists, and is in no audience of these tests. */
    private static void visit(Running s, String user) {
        Running.Reply r = s.postJson(
                "/v1/batch",
                "{\"batch\":[{\"type\":\"track\",\"messageId\":\"" + user + "-v-" + System.nanoTime()
                        + "\",\"userId\":\"" + user + "\",\"event\":\"Product Viewed\"}]}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    private static void grant(Running s, String user, String purpose, String channel, boolean granted) {
        String body = "{\"purpose\":\"" + purpose + "\",\"granted\":" + granted
                + (channel == null ? "" : ",\"channel\":\"" + channel + "\"") + "}";
        Running.Reply r = s.call("POST", "/api/profiles/" + user + "/consents", Running.ADMIN, body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    }

    private static void buyers(Running s) {
        Running.Reply r =
                s.call("POST", "/api/audiences/rules", Running.ADMIN, "{\"id\":\"buyers\",\"rule\":" + RULE + "}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    }

    private static JsonNode destination(Running s, String json) {
        Running.Reply r = s.call("POST", "/api/audiences/destinations", Running.ADMIN, json);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body();
    }

    private static JsonNode state(Running s, String id) {
        return s.call("GET", "/api/audiences/destinations/" + id, Running.ADMIN, null)
                .body();
    }

    private static JsonNode export(Running s, String id) {
        Running.Reply r = s.call("POST", "/api/audiences/destinations/" + id + "/export", Running.ADMIN, "{}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }

    private static JsonNode await(Running s, String id, Predicate<JsonNode> done, String what) throws Exception {
        return DecisionApiTest.await(() -> state(s, id), done, what);
    }

    /** The receiver's own check of the signature: HMAC-SHA256 over "t.body", computed here, not by Fusion. */
    private static boolean signed(WebhookReceiver.Received r) throws Exception {
        String t = null, v1 = null;
        for (String part : r.signature().split(",")) {
            if (part.startsWith("t=")) t = part.substring(2);
            if (part.startsWith("v1=")) v1 = part.substring(3);
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WebhookReceiver.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        String expected = HexFormat.of().formatHex(mac.doFinal(r.body()));
        return expected.equals(v1) && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) < 300;
    }

    @Test
    @DisplayName(
            "issue 16 activation: a signed webhook gets the consented members on export and entered events as they happen; consent exclusions are counted by reason; a refusing receiver dead-letters and a retry delivers under the same key; erasure empties what was pending")
    void webhook() throws Exception {
        try (Running s = new Running(dir);
                WebhookReceiver receiver = new WebhookReceiver()) {
            for (String u : List.of("ana", "bob", "cleo", "dan")) buy(s, u);
            grant(s, "ana", "marketing", "email", true);
            grant(s, "bob", "marketing", "email", true);
            grant(s, "bob", "marketing", "email", false);
            grant(s, "dan", "marketing", "email", true);
            grant(s, "dan", "marketing", "messaging", false); // another channel says nothing of email
            buyers(s);
            destination(
                    s,
                    "{\"id\":\"crm\",\"audience\":\"buyers\",\"kind\":\"webhook\",\"purpose\":\"marketing\","
                            + "\"channel\":\"email\",\"url\":\"" + receiver.url("crm") + "\",\"secret\":\""
                            + WebhookReceiver.SECRET + "\",\"maxAttempts\":3,\"baseDelay\":\"PT0.05S\","
                            + "\"maxDelay\":\"PT0.2S\"}");
            assertThat(s.call("GET", "/api/audiences/destinations", Running.ADMIN, null)
                            .body()
                            .toString())
                    .as("the secret is never shown")
                    .doesNotContain(WebhookReceiver.SECRET);

            JsonNode report = export(s, "crm");
            assertThat(report.get("members").asInt()).isEqualTo(4);
            assertThat(report.get("sent").asInt())
                    .as("ana and dan hold an email grant")
                    .isEqualTo(2);
            assertThat(report.get("excluded").toString())
                    .as("bob revoked his, cleo never gave one")
                    .isEqualTo("{\"never_granted\":1,\"revoked\":1}");
            List<WebhookReceiver.Received> got = List.of(receiver.next(), receiver.next());
            List<String> profiles = new ArrayList<>();
            for (WebhookReceiver.Received r : got) {
                assertThat(signed(r)).as("signature of " + r.text()).isTrue();
                JsonNode b = Running.JSON.readTree(r.body());
                assertThat(b.get("type").asText()).isEqualTo("member");
                assertThat(r.key()).isEqualTo(b.get("id").asText());
                assertThat(r.attempt()).isEqualTo(1);
                profiles.add(b.get("profile").asText());
            }
            assertThat(profiles).containsExactlyInAnyOrder("ana", "dan");

            // streaming: eve enters after her purchase; she granted email first
            visit(s, "eve");
            grant(s, "eve", "marketing", "email", true);
            buy(s, "eve");
            WebhookReceiver.Received entered = receiver.next();
            assertThat(signed(entered)).isTrue();
            JsonNode e = Running.JSON.readTree(entered.body());
            assertThat(e.get("type").asText()).isEqualTo("entered");
            assertThat(e.get("profile").asText()).isEqualTo("eve");

            // a receiver that keeps failing: three attempts, then a dead letter that keeps its body
            receiver.answer =
                    r -> r.text().contains("\"fay\"") ? new WebhookReceiver.Answer(503, -1) : WebhookReceiver.Answer.OK;
            visit(s, "fay");
            grant(s, "fay", "marketing", "email", true);
            buy(s, "fay");
            JsonNode dead = await(s, "crm", n -> n.get("counts").get("dead").asInt() == 1, "fay's dead letter");
            JsonNode letter = dead.get("deadLetters").get(0);
            assertThat(letter.get("profile").asText()).isEqualTo("fay");
            assertThat(letter.get("attempts").asInt()).isEqualTo(3);
            assertThat(letter.get("lastStatus").asInt()).isEqualTo(503);
            List<WebhookReceiver.Received> fays = receiver.of(letter.get("key").asText());
            assertThat(fays).extracting(WebhookReceiver.Received::attempt).containsExactly(1, 2, 3);
            assertThat(fays)
                    .extracting(WebhookReceiver.Received::text)
                    .containsOnly(fays.get(0).text());

            receiver.answer = r -> WebhookReceiver.Answer.OK;
            assertThat(s.call("POST", "/api/audiences/destinations/crm/dead-letters/retry", Running.ADMIN, "{}")
                            .body()
                            .get("requeued")
                            .asInt())
                    .isEqualTo(1);
            await(s, "crm", n -> n.get("counts").get("dead").asInt() == 0, "the re-sent dead letter");
            DecisionApiTest.await(
                    () -> Running.JSON.valueToTree(
                            receiver.of(letter.get("key").asText()).size()),
                    n -> n.asInt() == 4,
                    "the fourth request under fay's key");

            // the receiver is down; gus and hal enter and wait; gus is erased; only hal ever arrives
            destination(
                    s,
                    "{\"id\":\"slow\",\"audience\":\"buyers\",\"kind\":\"webhook\",\"purpose\":\"marketing\","
                            + "\"channel\":\"email\",\"url\":\"" + receiver.url("slow") + "\",\"secret\":\""
                            + WebhookReceiver.SECRET + "\",\"maxAttempts\":20,\"baseDelay\":\"PT0.05S\","
                            + "\"maxDelay\":\"PT0.3S\"}");
            receiver.answer = r -> new WebhookReceiver.Answer(503, -1);
            for (String u : List.of("gus", "hal")) {
                visit(s, u);
                grant(s, u, "marketing", "email", true);
                buy(s, u);
            }
            JsonNode failing = await(
                    s,
                    "slow",
                    n -> n.get("counts").get("pending").asInt() == 2
                            && n.get("health").get("failing").asBoolean(),
                    "gus and hal pending while the receiver fails");
            assertThat(failing.get("health").get("lastError").asText()).isEqualTo("HTTP 503");
            assertThat(s.call("DELETE", "/api/profiles/gus", Running.ADMIN, null)
                            .status())
                    .isEqualTo(200);
            int erasedAt = receiver.received.size(); // the erasure took a rebuild: earlier sends have landed
            await(s, "slow", n -> n.get("counts").get("pending").asInt() == 1, "gus's row to go with him");
            receiver.answer = r -> WebhookReceiver.Answer.OK;
            await(s, "slow", n -> n.get("counts").get("delivered").asInt() == 1, "hal's delivery");
            List<String> after = receiver.received.subList(erasedAt, receiver.received.size()).stream()
                    .filter(r -> r.path().endsWith("/slow"))
                    .map(WebhookReceiver.Received::text)
                    .toList();
            assertThat(after).as("sent to slow after the erasure").isNotEmpty().noneMatch(t -> t.contains("\"gus\""));
            assertThat(after.get(after.size() - 1)).contains("\"hal\"");
            assertThat(state(s, "slow").toString()).doesNotContain("gus");
        }
    }

    @Test
    @DisplayName(
            "issue 16 activation: a Kafka topic gets one record per consented member keyed by profile with the idempotency key in a header, then entered events; a revoked analytics grant is left out and counted")
    void kafka() throws Exception {
        try (KafkaBroker kafka = new KafkaBroker();
                Running s = new Running(dir)) {
            kafka.createTopic("audiences", 1, Map.of());
            for (String u : List.of("ana", "bob", "cleo")) buy(s, u);
            grant(s, "bob", "analytics", null, false);
            buyers(s);
            destination(
                    s,
                    "{\"id\":\"lake\",\"audience\":\"buyers\",\"kind\":\"kafka\",\"purpose\":\"analytics\","
                            + "\"bootstrap\":\"" + kafka.bootstrap() + "\",\"topic\":\"audiences\"}");
            JsonNode test = s.call("POST", "/api/audiences/destinations/lake/test", Running.ADMIN, "{}")
                    .body();
            assertThat(test.get("ok").asBoolean()).as(test.toString()).isTrue();
            JsonNode report = export(s, "lake");
            assertThat(report.get("sent").asInt())
                    .as("analytics is allowed by default; bob refused it")
                    .isEqualTo(2);
            assertThat(report.get("excluded").toString()).isEqualTo("{\"revoked\":1}");
            await(s, "lake", n -> n.get("counts").get("delivered").asInt() == 2, "both records acknowledged");
            buy(s, "dan");
            await(s, "lake", n -> n.get("counts").get("delivered").asInt() == 3, "dan's entered event");

            List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("audiences");
            List<String> seen = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                JsonNode b = Running.JSON.readTree(r.value());
                if (b.get("type").asText().equals("test")) continue;
                assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .isEqualTo(b.get("profile").asText());
                assertThat(new String(r.headers().lastHeader("Idempotency-Key").value(), StandardCharsets.UTF_8))
                        .isEqualTo(b.get("id").asText());
                seen.add(b.get("type").asText() + " " + b.get("profile").asText());
            }
            assertThat(seen).containsExactlyInAnyOrder("member ana", "member cleo", "entered dan");
        }
    }

    private static List<List<String>> csv(Path file) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            for (CSVRecord r : CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)) {
                rows.add(List.of(r.get("profile"), r.get("event"), r.get("audience")));
            }
        }
        return rows;
    }

    /** Reads a Parquet file with Parquet's own reader: profile, event, audience and the timestamp. */
    private static List<List<String>> parquet(Path file) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        var conf = new org.apache.parquet.conf.PlainParquetConfiguration();
        var options = new org.apache.parquet.ParquetReadOptions.Builder(conf)
                .withCodecFactory(new org.apache.parquet.hadoop.CodecFactory(conf, 0))
                .build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            MessageType schema = reader.getFileMetaData().getSchema();
            assertThat(schema.getType("at").asPrimitiveType().getLogicalTypeAnnotation())
                    .hasToString("TIMESTAMP(MILLIS,true)");
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory()
                        .getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    Group g = records.read();
                    assertThat(g.getLong("at", 0)).isPositive();
                    rows.add(List.of(g.getString("profile", 0), g.getString("event", 0), g.getString("audience", 0)));
                }
            }
        }
        return rows;
    }

    @Test
    @DisplayName(
            "issue 16 activation: CSV and Parquet files hold the consented members and the streamed events written since; an erased person is in no file written after the erasure")
    void files() throws Exception {
        try (Running s = new Running(dir)) {
            for (String u : List.of("ana", "bob", "cleo")) buy(s, u);
            grant(s, "ana", "sharing", null, true);
            grant(s, "bob", "sharing", null, true);
            buyers(s);
            for (String kind : List.of("csv", "parquet")) {
                destination(
                        s,
                        "{\"id\":\"" + kind + "\",\"audience\":\"buyers\",\"kind\":\"" + kind
                                + "\",\"purpose\":\"sharing\",\"directory\":\"" + exports.resolve(kind) + "\"}");
            }
            JsonNode csvReport = export(s, "csv");
            JsonNode parquetReport = export(s, "parquet");
            for (JsonNode r : List.of(csvReport, parquetReport)) {
                assertThat(r.get("sent").asInt())
                        .as("sharing is off unless granted: ana and bob")
                        .isEqualTo(2);
                assertThat(r.get("excluded").toString()).isEqualTo("{\"never_granted\":1}");
            }
            assertThat(csv(Path.of(csvReport.get("file").asText())))
                    .containsExactlyInAnyOrder(List.of("ana", "member", "buyers"), List.of("bob", "member", "buyers"));
            assertThat(parquet(Path.of(parquetReport.get("file").asText())))
                    .containsExactlyInAnyOrder(List.of("ana", "member", "buyers"), List.of("bob", "member", "buyers"));

            // dan and eve enter and wait for the next file; eve is erased before it is written
            for (String u : List.of("dan", "eve")) {
                visit(s, u);
                grant(s, u, "sharing", null, true);
                buy(s, u);
            }
            await(s, "parquet", n -> n.get("counts").get("pending").asInt() == 2, "dan and eve waiting");
            assertThat(s.call("DELETE", "/api/profiles/eve", Running.ADMIN, null)
                            .status())
                    .isEqualTo(200);
            assertThat(state(s, "parquet").get("counts").get("pending").asInt()).isEqualTo(1);
            for (String kind : List.of("csv", "parquet")) {
                JsonNode r = export(s, kind);
                assertThat(r.get("events").asInt()).isEqualTo(1);
                Path full = Path.of(r.get("file").asText());
                Path events = Path.of(r.get("eventsFile").asText());
                List<List<String>> members = kind.equals("csv") ? csv(full) : parquet(full);
                List<List<String>> changes = kind.equals("csv") ? csv(events) : parquet(events);
                assertThat(members).extracting(l -> l.get(0)).as(kind).containsExactlyInAnyOrder("ana", "bob", "dan");
                assertThat(changes).as(kind).containsExactly(List.of("dan", "entered", "buyers"));
            }
            Map<String, Long> names = new TreeMap<>();
            try (var files = Files.walk(exports)) {
                files.filter(Files::isRegularFile)
                        .forEach(f -> names.merge(f.getParent().getFileName().toString(), 1L, Long::sum));
            }
            assertThat(names)
                    .as("two full files and one events file each, no temporary files left")
                    .isEqualTo(Map.of("csv", 3L, "parquet", 3L));
            assertThat(state(s, "csv").get("counts").get("pending").asInt()).isZero();
        }
    }

    @Test
    @DisplayName(
            "issue 16 activation: a destination is refused naming the field (kind, marketing without a channel, short secret, unknown audience) and destinations survive a restart")
    void validationAndRestart() throws Exception {
        try (Running s = new Running(dir)) {
            buy(s, "ana");
            buyers(s);
            Map<String, String> bad = Map.of(
                    "{\"id\":\"x\",\"audience\":\"buyers\",\"kind\":\"fax\",\"purpose\":\"analytics\"}", "$.kind",
                    "{\"id\":\"x\",\"audience\":\"buyers\",\"kind\":\"csv\",\"purpose\":\"marketing\",\"directory\":\"/tmp\"}",
                            "$.channel",
                    "{\"id\":\"x\",\"audience\":\"buyers\",\"kind\":\"webhook\",\"purpose\":\"analytics\",\"url\":\"http://127.0.0.1:1/\",\"secret\":\"short\"}",
                            "$.secret",
                    "{\"id\":\"x\",\"audience\":\"nobody\",\"kind\":\"csv\",\"purpose\":\"analytics\",\"directory\":\"/tmp\"}",
                            "$.audience",
                    "{\"id\":\"x\",\"audience\":\"buyers\",\"kind\":\"csv\",\"purpose\":\"analytics\",\"directory\":\"relative\"}",
                            "$.directory");
            for (var e : bad.entrySet()) {
                Running.Reply r = s.call("POST", "/api/audiences/destinations", Running.ADMIN, e.getKey());
                assertThat(r.status()).as(e.getKey()).isEqualTo(400);
                assertThat(r.body().get("field").asText()).as(e.getKey()).isEqualTo(e.getValue());
            }
            destination(
                    s,
                    "{\"id\":\"files\",\"audience\":\"buyers\",\"kind\":\"csv\",\"purpose\":\"analytics\","
                            + "\"directory\":\"" + exports + "\",\"schedule\":\"PT1H\"}");
            Running.Reply inUse = s.call("DELETE", "/api/audiences/rules/buyers", Running.ADMIN, null);
            assertThat(inUse.status()).isEqualTo(400);
            assertThat(inUse.body().get("error").asText()).contains("files");
        }
        try (Running s = new Running(dir)) {
            JsonNode d = state(s, "files").get("destination");
            assertThat(d.get("schedule").asText()).isEqualTo(Duration.ofHours(1).toString());
            assertThat(export(s, "files").get("sent").asInt()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName(
            "issue 16 activation: a destination with a schedule exports by itself once its period has passed since the last export, and not before")
    void schedule() throws Exception {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        try (Running s = new Running(
                fusion.store.sql.SqlStore.sqlite(dir, FusionServer.pipeline(fusion.core.engine.ModelConfig.defaults())),
                clock)) {
            buy(s, "ana");
            buyers(s);
            destination(
                    s,
                    "{\"id\":\"daily\",\"audience\":\"buyers\",\"kind\":\"csv\",\"purpose\":\"analytics\","
                            + "\"directory\":\"" + exports + "\",\"schedule\":\"PT24H\"}");
            var activation = s.server.activation();
            assertThat(activation.runSchedules())
                    .as("never exported: due at once")
                    .isEqualTo(1);
            assertThat(activation.runSchedules()).as("just exported").isZero();
            clock.advance(Duration.ofHours(23));
            assertThat(activation.runSchedules()).as("23 h later").isZero();
            clock.advance(Duration.ofHours(1));
            assertThat(activation.runSchedules()).as("24 h later").isEqualTo(1);
            JsonNode exportsShown = state(s, "daily").get("exports");
            assertThat(exportsShown).hasSize(2);
            assertThat(Instant.parse(exportsShown.get(0).get("at").asText()))
                    .as("newest first")
                    .isEqualTo(PrivacyContract.T0.plus(Duration.ofHours(24)));
            try (var files = Files.list(exports)) {
                assertThat(files.filter(f -> f.toString().endsWith("-full.csv")).count())
                        .isEqualTo(2);
            }
        }
    }
}
