package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write-key holder mixes poison into busy traffic: values that once passed validation and then
 * broke scoring or the writer (2^63 reach, a consent expiry in year 999999999, revenue 1.7e308,
 * lone surrogates, NUL). Many clients send good batches at the same time, so poison and good
 * batches share group commits. Every good batch gets 200 and is stored; every poisoned batch
 * gets 400 naming its field, and nothing of it is stored.
 */
class IngestPoisonAmongGoodBatchesTest {
    private static final String KEY = "adversarial-write-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] POISON = {
        {"\"properties\":{\"purpose\":\"advocacy\",\"reach\":9223372036854775808}", "properties.reach"},
        {"\"properties\":{\"followers_gained\":9223372036854775808}", "properties.followers_gained"},
        {"\"properties\":{\"revenue\":1.7e308}", "properties.revenue"},
        {"\"properties\":{\"value\":-1.7e308}", "properties.value"},
        {"\"properties\":{\"wait_seconds\":1e300}", "properties.wait_seconds"},
        {"\"properties\":{\"reach\":-1}", "properties.reach"},
        {"\"properties\":{\"co_parties\":[\"\\ud800\"]}", "properties.co_parties[0]"},
        {"\"anonymousId\":\"\\udbff\"", "anonymousId"},
        {"\"anonymousId\":\"a\\u0000b\"", "anonymousId"},
        {"\"sentAt\":\"+999999999-12-31T23:59:59Z\"", "sentAt"},
    };

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    @DisplayName(
            "issue 12 items 2-4: poison among concurrent good batches is refused alone; every good batch is stored")
    void poisonIsRefusedAloneAmongConcurrentGoodBatches(long seed) throws Exception {
        Random random = new Random(seed);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try (FusionServer fusion = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(KEY, "admin")),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())))) {
            record Sent(CompletableFuture<HttpResponse<String>> reply, String poisonField, int calls) {}
            List<Sent> sent = new ArrayList<>();
            int goodCalls = 0;
            for (int b = 0; b < 120; b++) {
                boolean poisoned = random.nextInt(4) == 0;
                String[] poison = POISON[random.nextInt(POISON.length)];
                int size = 1 + random.nextInt(5);
                int at = random.nextInt(size);
                StringBuilder body = new StringBuilder("{\"batch\":[");
                for (int i = 0; i < size; i++) {
                    if (i > 0) body.append(',');
                    String id = "s" + seed + "-b" + b + "-" + i;
                    String extra = poisoned && i == at
                            ? "," + poison[0].replace("\"properties\":{", "\"properties\":{\"brand\":\"glitter\",")
                            : ",\"properties\":{\"brand\":\"glitter\",\"revenue\":" + random.nextInt(500) + "}";
                    body.append("{\"type\":\"track\",\"messageId\":\"")
                            .append(id)
                            .append("\",\"userId\":\"u")
                            .append(random.nextInt(30))
                            .append("\",\"event\":\"Order Completed\"")
                            .append(extra)
                            .append('}');
                }
                String json = body.append("]}").toString();
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + fusion.port() + "/v1/batch"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build();
                CompletableFuture<HttpResponse<String>> reply = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return http.send(request, HttpResponse.BodyHandlers.ofString());
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        clients);
                sent.add(new Sent(reply, poisoned ? "batch[" + at + "]." + poison[1] : null, size));
                if (!poisoned) goodCalls += size;
            }
            for (Sent s : sent) {
                HttpResponse<String> r = s.reply().get(60, TimeUnit.SECONDS);
                if (s.poisonField() == null) {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    assertThat(JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(s.calls());
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                    assertThat(JSON.readTree(r.body()).get("field").asText()).isEqualTo(s.poisonField());
                }
            }
            assertThat(fusion.store().stats().events())
                    .as("exactly the good batches' calls")
                    .isEqualTo(goodCalls);
            for (var brand : fusion.store().brands(java.time.Instant.now())) {
                assertThat(Double.isFinite(brand.money())
                                && Double.isFinite(brand.fusion())
                                && Double.isFinite(brand.experience()))
                        .as(brand.toString())
                        .isTrue();
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
