package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.server.access.Credentials;
import fusion.server.decisions.NextBestActions;
import fusion.server.decisions.Webhooks;
import fusion.store.sql.SqlStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow-up of an accepted fix in a live server: the receiver's callbacks come in through
 * {@code /v1/outcomes}, are logged as track calls and mapped back as interactions at the contact
 * point {@code decision-plan-b-replacement}, and the next decision reads them.
 */
class AcceptedPlanBTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path dir;

    final PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
    WebhookReceiver receiver;
    Running s;

    @AfterEach
    void tearDown() {
        if (s != null) s.close();
        if (receiver != null) receiver.close();
    }

    @Test
    @DisplayName("issue 12 item 14: breakage, Plan B delivered and accepted through /v1/outcomes: four days later the "
            + "matter is closed and no second Plan B is decided")
    void anAcceptedPlanBReportedByTheReceiverIsNotFollowedByASecondOne() throws Exception {
        clock.now = NOW;
        receiver = new WebhookReceiver();
        var settings = NextBestActions.Settings.of(
                Optional.of(Webhooks.parse(receiver.config().getBytes(StandardCharsets.UTF_8))), false, "own");
        s = new Running(FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withClock(clock)
                        .withDecisions(settings),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))));
        send("{\"type\":\"track\",\"messageId\":\"" + UUID.randomUUID()
                + "\",\"userId\":\"ivy\",\"event\":\"Product Used\","
                + "\"timestamp\":\"" + NOW.minus(Duration.ofHours(1))
                + "\",\"properties\":{\"description\":\"the charger "
                + "is broken\"}}");
        JsonNode planB = decide(null);
        assertThat(planB.path("action").asText()).isEqualTo("plan-b-replacement");
        assertThat(receiver.next().key()).isEqualTo(planB.path("id").asText());
        for (String event : new String[] {"delivered", "accepted"}) {
            String callback =
                    "{\"decision_id\":\"" + planB.path("id").asText() + "\",\"customer\":\"ivy\",\"brand\":\"own\","
                            + "\"action_id\":\"plan-b-replacement\",\"type\":\"plan_b\",\"channel\":\""
                            + planB.path("channel").asText() + "\",\"event\":\"" + event + "\",\"at\":\""
                            + NOW.plus(Duration.ofMinutes(event.equals("delivered") ? 1 : 60)) + "\"}";
            Running.Reply ok = s.postJson("/v1/outcomes", callback);
            assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
            assertThat(ok.body().path("accepted").asInt()).isEqualTo(1);
        }

        clock.now = NOW.plus(Duration.ofDays(4));
        JsonNode later = decide(clock.now);
        assertThat(later.path("action").asText()).as(later.toString()).isNotEqualTo("plan-b-replacement");
        assertThat(later.path("type").asText()).as(later.toString()).isNotEqualTo("plan_b");
        assertThat(later.path("reasons").findValuesAsText("code"))
                .as(later.toString())
                .doesNotContain("need_unmet", "unmet_need_no_fix");
    }

    private void send(String call) {
        Running.Reply r = s.postJson("/v1/batch", "{\"batch\":[" + call + "]}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    private JsonNode decide(Instant at) {
        Running.Reply r = s.call(
                "POST",
                "/api/decisions",
                Running.ADMIN,
                "{\"profile\":\"ivy\"" + (at == null ? "" : ",\"at\":\"" + at + "\"") + "}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }
}
