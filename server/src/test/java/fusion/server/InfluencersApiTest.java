package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.Scenario;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfluencersApiTest {
    static final int CONSUMERS = Integer.getInteger("influencers.consumers", 800);

    @TempDir
    static Path dir;

    Running fusion;

    @BeforeAll
    void loadTheDemo() throws Exception {
        fusion = new Running(dir);
        var messages = new Scenario(2026, CONSUMERS, Instant.now()).messages();
        new DemoLoader(fusion.uri("/"), Running.WRITE_KEY, null).load(messages);
    }

    @AfterAll
    void stop() {
        if (fusion != null) fusion.close();
    }

    private JsonNode row(JsonNode answer, String party) {
        for (JsonNode r : answer.path("influencers")) {
            if (r.path("party").asText().equals(party)) return r;
        }
        throw new AssertionError(party + " is not among " + answer);
    }

    @Test
    @DisplayName(
            "issue 15: on the demo the artist comes out an active influencer of glitter, with her pushes as evidence")
    void theArtistIsActive() {
        var reply = fusion.call("GET", "/api/influencers?brand=glitter&limit=500", Running.ADMIN, null);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode popstar = row(reply.body(), "popstar");
        assertThat(popstar.path("role").asText()).isEqualTo("active");
        assertThat(popstar.path("afterPushes").path("significant").asBoolean()).isTrue();
        assertThat(popstar.path("evidence").toString()).contains("wore the brand's sweater at the concert");
        assertThat(reply.body().path("influencers").get(0).path("party").asText())
                .isEqualTo("popstar");
    }

    @Test
    @DisplayName(
            "issue 15: on the demo the quiet trend-setter comes out a passive influencer of rivalwear: seen, never posting")
    void theQuietTrendSetterIsPassive() {
        var reply = fusion.call("GET", "/api/influencers?brand=rivalwear&limit=500", Running.ADMIN, null);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode quiet = row(reply.body(), "quietcool");
        assertThat(quiet.path("role").asText()).isEqualTo("passive");
        assertThat(quiet.path("pushes").asInt()).isZero();
        assertThat(quiet.path("sightings").asInt()).isEqualTo(3);
    }
}
