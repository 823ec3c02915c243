package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.analytics.attribution.Attribution;
import fusion.analytics.journey.JourneySettings;
import fusion.core.engine.ModelConfig;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.Scenario;
import fusion.server.journeys.JourneyService;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Customer incidence over HTTP on the demo scenario: live statistics, attribution, next step. */
class JourneyApiTest {
    private static final Instant END = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void liveJourneyStatisticsEqualABatchRebuildAndSurviveAnErasure(@TempDir Path dir) throws Exception {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = END;
        try (Running s = new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), clock)) {
            // loaded in several batches, so the live statistics are built batch by batch
            new DemoLoader(s.uri(""), Running.WRITE_KEY, new PrintStream(new ByteArrayOutputStream()))
                    .load(new Scenario(3, 60, END).messages());
            JsonNode live = s.get("/api/journeys?at=" + END).body();
            assertThat(live.path("brands").size()).isGreaterThan(1);
            assertThat(live.path("brands").get(0).path("channelTransitions")).isNotEmpty();
            assertThat(live.path("orbit")).isNotEmpty();

            JourneyService batch = new JourneyService(s.server.store(), clock, JourneySettings.defaults());
            assertThat(tree(batch.rebuild(END))).isEqualTo(live);

            assertThat(s.call("DELETE", "/api/profiles/demo-alice", Running.ADMIN, null)
                            .status())
                    .isEqualTo(200);
            JsonNode after = s.get("/api/journeys?at=" + END).body();
            assertThat(after).isNotEqualTo(live).isEqualTo(tree(batch.rebuild(END)));
        }
    }

    @Test
    void attributionAndNextStepAnswerFromTheLog(@TempDir Path dir) throws Exception {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = END;
        try (Running s = new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), clock)) {
            new DemoLoader(s.uri(""), Running.WRITE_KEY, new PrintStream(new ByteArrayOutputStream()))
                    .load(new Scenario(3, 60, END).messages());
            JsonNode attribution =
                    s.get("/api/journeys/attribution?by=channel&order=1,2").body();
            assertThat(attribution.path("conversions").asLong()).isPositive();
            double firstTouch = 0;
            for (JsonNode h : attribution.path("heuristics"))
                firstTouch += h.path("firstTouchConversions").asDouble();
            assertThat(firstTouch)
                    .isCloseTo(attribution.path("conversions").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(attribution.path("markov")).hasSize(2);
            assertThat(s.get("/api/journeys/attribution?by=mood")
                            .body()
                            .path("field")
                            .asText())
                    .isEqualTo("by");
            assertThat(s.get("/api/journeys/attribution?order=9")
                            .body()
                            .path("field")
                            .asText())
                    .isEqualTo("order");

            JsonNode next = s.get("/api/profiles/demo-alice/next-step").body();
            assertThat(next.isArray()).isTrue();
            java.util.Set<String> starters = new java.util.TreeSet<>();
            next.forEach(b -> b.path("journeyInitiators").forEach(i -> starters.add(i.asText())));
            // demo-alice's current journeys hold her own steps and the brand's (emails, deliveries)
            assertThat(starters).containsExactly("brand", "customer");
            for (JsonNode b : next) {
                assertThat(b.path("journeyChannels")).isNotEmpty();
                double total = b.path("prediction")
                                .path("channel")
                                .path("conversion")
                                .asDouble()
                        + b.path("prediction").path("channel").path("dropOut").asDouble();
                for (JsonNode p : b.path("prediction").path("channel").path("nextChannel")) total += p.asDouble();
                assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
                // issue 15 item 4: purposes are labelled as purposes, channels as channels
                JsonNode purpose = b.path("prediction").path("purpose");
                assertThat(purpose.has("nextChannel"))
                        .as("purpose prediction holds no channels")
                        .isFalse();
                purpose.path("nextPurpose")
                        .fieldNames()
                        .forEachRemaining(k -> assertThat(fusion.core.model.Purpose.parse("nextPurpose", k))
                                .isNotNull());
                b.path("prediction")
                        .path("channel")
                        .path("nextChannel")
                        .fieldNames()
                        .forEachRemaining(k -> assertThat(fusion.core.model.Channel.parse("nextChannel", k))
                                .isNotNull());
                // every step says who started it
                assertThat(b.path("journeyInitiators")).hasSameSizeAs(b.path("journeyChannels"));
                b.path("journeyInitiators").forEach(i -> assertThat(i.asText()).isIn("customer", "brand"));
            }
            // a person who opted out of analytics gets no prediction
            s.call(
                    "POST",
                    "/api/profiles/demo-alice/consents",
                    Running.ADMIN,
                    "{\"purpose\":\"analytics\",\"granted\":false}");
            JsonNode refused = s.get("/api/profiles/demo-alice/next-step").body();
            assertThat(refused.path("code").asText()).isEqualTo("consent.revoked");
        }
    }

    @Test
    void attributionOfAPathsFileSentAsTheBodyMatchesTheLibrary(@TempDir Path dir) throws Exception {
        String paths = "path,total_conversions,total_conversion_value,total_null\n"
                + "C1 > C2 > C3,1,10,0\nC1,0,0,1\nC2 > C3,0,0,1\n";
        Path file = dir.resolve("toy.csv");
        Files.writeString(file, paths);
        try (Running s = new Running(dir.resolve("store"))) {
            Running.Reply r = s.call("POST", "/api/attribution?order=1", Running.ADMIN, paths);
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(tree(Attribution.ofFile(file, 1)));
            assertThat(r.body()
                            .path("markov")
                            .get(0)
                            .path("conversionProbability")
                            .asDouble())
                    .isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
            Running.Reply bad = s.call("POST", "/api/attribution", Running.ADMIN, "no,header\n");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body().path("field").asText()).isEqualTo("body");
            assertThat(bad.raw().body()).doesNotContain("/tmp");
        }
    }

    /** {@code value} as the API would serialise it, read back. */
    private static JsonNode tree(Object value) throws Exception {
        return Running.JSON.readTree(fusion.server.http.HttpApi.json().writeValueAsString(value));
    }
}
