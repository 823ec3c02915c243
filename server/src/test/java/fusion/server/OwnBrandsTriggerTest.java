package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.core.model.InvalidInput;
import fusion.server.access.Credentials;
import fusion.server.decisions.NextBestActions;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming trigger decides for the brand of each event, when it is one of the configured own
 * brands and not flagged a competitor: a live server with {@code own-brands = own,brewline}.
 */
class OwnBrandsTriggerTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z"); // daytime in UTC

    @TempDir
    Path dir;

    final PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
    Running s;

    @AfterEach
    void tearDown() {
        if (s != null) s.close();
    }

    @Test
    @DisplayName("issue 12 item 15: with --decide-on-events, an event of a second own brand triggers a decision for "
            + "that brand; a competitor's event, or one of an unlisted brand, triggers none")
    void eventsOfASecondOwnBrandTriggerDecisionsForItAndCompetitorsNever() throws Exception {
        clock.now = NOW;
        var settings = NextBestActions.Settings.of(
                Optional.empty(), true, NextBestActions.Settings.parseOwnBrands("own,brewline"));
        s = new Running(FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withClock(clock)
                        .withDecisions(settings),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))));
        // a competitor's breakage, a breakage at a brand nobody listed, and one at brewline flagged a
        // competitor in the event: none of them is ours to fix
        broken("cal", "{\"brand\":\"beanhouse\",\"competitor\":true,");
        broken("dan", "{\"brand\":\"elsewhere\",");
        broken("eve", "{\"brand\":\"brewline\",\"competitor\":true,");
        // then brewline's own: the trigger works through people in order on one worker, so once
        // ann's decision is there, the jobs for the three before it (if any) have finished
        broken("ann", "{\"brand\":\"brewline\",");
        JsonNode decisions = await("a decision for ann");
        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).path("brand").asText()).isEqualTo("brewline");
        assertThat(decisions.get(0).path("action").asText()).isEqualTo("plan-b-replacement");
        for (String other : List.of("cal", "dan", "eve")) {
            assertThat(s.get("/api/profiles/" + other + "/decisions").body().path("decisions"))
                    .as(other)
                    .isEmpty();
        }
        assertThat(s.server.actions().brand())
                .as("the first own brand decides when a request names none")
                .isEqualTo("own");
    }

    @Test
    @DisplayName("issue 12 item 15: --own-brands is a comma list; blank gives 'own', an empty or repeated entry is "
            + "refused naming the option")
    void theOwnBrandsOptionIsACommaListWithOwnAsItsDefault() {
        assertThat(NextBestActions.Settings.parseOwnBrands(null)).containsExactly("own");
        assertThat(NextBestActions.Settings.parseOwnBrands("  ")).containsExactly("own");
        assertThat(NextBestActions.Settings.parseOwnBrands("glitter, brewline")).containsExactly("glitter", "brewline");
        for (String bad : List.of("glitter,,brewline", "glitter,", "glitter,glitter")) {
            assertThatThrownBy(() -> NextBestActions.Settings.parseOwnBrands(bad))
                    .as(bad)
                    .isInstanceOf(InvalidInput.class)
                    .extracting(e -> ((InvalidInput) e).field())
                    .isEqualTo("--own-brands");
        }
        assertThat(FusionServer.DEFAULT_BRAND)
                .as("events naming no brand belong to the default own brand")
                .isEqualTo(NextBestActions.Settings.DEFAULT_OWN_BRANDS.get(0));
    }

    private void broken(String user, String propertiesStart) {
        String call = "{\"type\":\"track\",\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user
                + "\",\"event\":\"Product Used\",\"timestamp\":\"" + NOW.minus(Duration.ofHours(1))
                + "\",\"properties\":"
                + propertiesStart + "\"description\":\"the grinder is broken\"}}";
        Running.Reply r = s.postJson("/v1/batch", "{\"batch\":[" + call + "]}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    private JsonNode await(String what) throws InterruptedException {
        return DecisionApiTest.await(
                () -> s.get("/api/profiles/ann/decisions").body().path("decisions"),
                decisions -> !decisions.isEmpty(),
                what);
    }
}
