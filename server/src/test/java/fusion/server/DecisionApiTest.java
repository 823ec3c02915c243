package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.decisions.delivery.WebhookSignature;
import fusion.server.access.Credentials;
import fusion.server.decisions.NextBestActions;
import fusion.server.decisions.SqlDeliveryLog;
import fusion.server.decisions.Webhooks;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The next best action in a live server, delivering to a real loopback receiver that fails when
 * told to: every decision reads the store and asks the real consent ledger, at the decision and
 * again before every delivery attempt.
 */
class DecisionApiTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z"); // 01:00 in Auckland
    private static final String AUCKLAND = "Pacific/Auckland";

    @TempDir
    Path dir;

    final PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
    WebhookReceiver receiver;
    Running s;

    @BeforeEach
    void setUp() throws Exception {
        clock.now = NOW;
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        if (s != null) s.close();
        receiver.close();
    }

    private boolean started;

    /** The store under test: a new one, or the same one again after a restart. */
    protected Store store(boolean reopen) {
        return SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()));
    }

    Running start(boolean decideOnEvents) {
        Store store = store(started);
        started = true;
        var settings = NextBestActions.Settings.of(
                Optional.of(Webhooks.parse(receiver.config().getBytes(StandardCharsets.UTF_8))), decideOnEvents, "own");
        FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials(Running.WRITE_KEY, Running.ADMIN))
                        .withClock(clock)
                        .withDecisions(settings),
                store);
        s = new Running(server);
        return s;
    }

    @Test
    void aDecisionDueNowIsDeliveredSignedUnderItsIdAndRecorded() throws Exception {
        start(false);
        broken("bob", null);
        JsonNode d = decide("bob", null);
        assertThat(d.path("outcome").asText()).isEqualTo("act");
        assertThat(d.path("action").asText()).isEqualTo("plan-b-replacement");
        assertThat(d.path("primary").path("code").asText()).isEqualTo("action_chosen");
        assertThat(d.path("delivery").asText()).startsWith("queued");

        WebhookReceiver.Received r = receiver.next();
        assertThat(r.path()).isEqualTo("/hook/" + d.path("channel").asText());
        assertThat(r.key()).isEqualTo(d.path("id").asText());
        assertThat(WebhookSignature.verify(WebhookReceiver.SECRET, r.signature(), r.body(), clock.now))
                .isTrue();
        assertThat(WebhookSignature.verify("another-secret-0123456789", r.signature(), r.body(), clock.now))
                .isFalse();
        assertThat(Running.JSON.readTree(r.body()).path("customer").asText())
                .isEqualTo(d.path("profile").asText());
        assertThat(awaitDecision("bob", d.path("id").asText(), "delivered").path("reasons"))
                .isNotEmpty();

        JsonNode export = s.get("/api/profiles/bob/export").body();
        assertThat(export.path("decisions").get(0).path("id").asText())
                .isEqualTo(d.path("id").asText());

        assertThat(s.call("DELETE", "/api/profiles/bob", Running.ADMIN, null).status())
                .isEqualTo(200);
        assertThat(s.server.store().decisions().decisionsOf(d.path("profile").asText()))
                .isEmpty();
        assertThat(s.server.store().decisions().delivery(d.path("id").asText())).isEmpty();
    }

    @Test
    void aFailingReceiverGetsRetriesThenTheDecisionIsADeadLetterThatCanBeResent() throws Exception {
        start(false);
        receiver.answer = r -> new WebhookReceiver.Answer(500, -1);
        broken("carol", null);
        String key = decide("carol", null).path("id").asText();
        awaitDecision("carol", key, "dead");
        assertThat(receiver.of(key))
                .extracting(WebhookReceiver.Received::attempt)
                .containsExactly(1, 2, 3);

        JsonNode dead = s.call("GET", "/api/deliveries?status=dead", Running.ADMIN, null)
                .body();
        JsonNode letter = dead.path("deliveries").get(0);
        assertThat(letter.path("key").asText()).isEqualTo(key);
        assertThat(letter.path("attempts").asInt()).isEqualTo(3);
        assertThat(letter.path("lastStatus").asInt()).isEqualTo(500);
        assertThat(letter.path("attemptLog")).hasSize(3);

        receiver.answer = r -> WebhookReceiver.Answer.OK;
        Running.Reply resent = s.call("POST", "/api/deliveries/" + key + "/resend", Running.ADMIN, null);
        assertThat(resent.status()).isEqualTo(202);
        awaitDecision("carol", key, "delivered");
        var all = receiver.of(key);
        assertThat(all).hasSize(4);
        assertThat(all.get(3).body()).isEqualTo(all.get(0).body());
        assertThat(s.call("GET", "/api/deliveries?status=dead", Running.ADMIN, null)
                        .body()
                        .path("deliveries"))
                .isEmpty();
        assertThat(s.call("POST", "/api/deliveries/" + key + "/resend", Running.ADMIN, null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void someoneWhoNeverGrantedMarketingGetsNoOfferForNoConsent() throws Exception {
        start(false);
        polite("dave");
        JsonNode d = decide("dave", null);
        assertThat(d.path("outcome").asText()).isEqualTo("nothing");
        assertThat(d.path("primary").path("code").asText()).isEqualTo("no_consent");
        assertThat(d.path("primary").path("sentence").asText()).contains("never_granted");
    }

    @Test
    void aSecondOfferOnTheOnlyConsentedChannelTheSameDayIsCapped() throws Exception {
        start(false);
        identify("erin", "{\"preferred_channel\":\"email\"}");
        track("erin", "Membership Renewed", NOW.minus(Duration.ofDays(365)), "{}");
        polite("erin");
        grant("erin", "marketing", "email", true);
        JsonNode first = decide("erin", null);
        assertThat(first.path("action").asText()).isEqualTo("renew-membership");
        assertThat(first.path("channel").asText()).isEqualTo("email");
        JsonNode second = decide("erin", NOW.plus(Duration.ofHours(1)));
        assertThat(second.path("outcome").asText()).isEqualTo("nothing");
        assertThat(second.path("primary").path("code").asText()).isEqualTo("capped_channel");
    }

    @Test
    void duringQuietHoursTheActIsDeferredNotSent() throws Exception {
        start(false);
        broken("frank", AUCKLAND);
        JsonNode d = decide("frank", null);
        assertThat(d.path("outcome").asText()).isEqualTo("act");
        assertThat(d.path("status").asText()).isEqualTo("scheduled");
        assertThat(Instant.parse(d.path("sendAt").asText())).isEqualTo("2026-11-24T19:00:00Z");
        assertThat(d.path("reasons").findValuesAsText("code")).contains("quiet_hours_deferred");
        // nothing is due before 19:00 local: sendDue hands nothing to the webhook delivery, so the
        // receiver can have nothing to receive (no wait needed to show an absence)
        assertThat(s.server.actions().sendDue()).isZero();
        assertThat(receiver.received).isEmpty();
        assertThat(awaitDecision("frank", d.path("id").asText(), "scheduled")
                        .path("status")
                        .asText())
                .isEqualTo("scheduled");
    }

    @Test
    void aNeedStillUnmetAfterItsFixWasSentGetsNothingForUnmetNeed() throws Exception {
        start(false);
        track("gus", "Delivery Failed", NOW.minus(Duration.ofHours(2)), "{}");
        assertThat(decide("gus", null).path("action").asText()).isEqualTo("service-recovery");
        JsonNode again = decide("gus", NOW.plus(Duration.ofHours(1)));
        assertThat(again.path("outcome").asText()).isEqualTo("nothing");
        assertThat(again.path("primary").path("code").asText()).isEqualTo("unmet_need_no_fix");
    }

    @Test
    void consentRevokedWhileTheActWaitedForQuietHoursToEndWithholdsIt() throws Exception {
        start(false);
        identify("gina", "{\"timezone\":\"" + AUCKLAND + "\"}");
        polite("gina");
        grant("gina", "marketing", null, true);
        JsonNode d = decide("gina", null);
        assertThat(d.path("action").asText()).isEqualTo("politeness-reward");
        assertThat(d.path("status").asText()).isEqualTo("scheduled");

        clock.now = NOW.plus(Duration.ofHours(1));
        grant("gina", "marketing", null, false);
        clock.now = Instant.parse(d.path("sendAt").asText()).plusSeconds(1);
        assertThat(s.server.actions().sendDue()).isEqualTo(1);
        awaitDecision("gina", d.path("id").asText(), "withheld");
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void consentRevokedWhileRetriesArePendingWithholdsTheNextAttempt() throws Exception {
        start(false);
        receiver.answer = r -> new WebhookReceiver.Answer(503, 1);
        polite("hank");
        grant("hank", "marketing", null, true);
        JsonNode d = decide("hank", null);
        assertThat(d.path("action").asText()).isEqualTo("politeness-reward");
        assertThat(receiver.next().attempt()).isEqualTo(1);
        clock.now = NOW.plusSeconds(1);
        grant("hank", "marketing", null, false);
        awaitDecision("hank", d.path("id").asText(), "withheld");
        assertThat(receiver.of(d.path("id").asText())).hasSize(1);
        assertThat(s.call("GET", "/api/deliveries?status=dead", Running.ADMIN, null)
                        .body()
                        .path("deliveries"))
                .isEmpty();
    }

    @Test
    void anAcceptedFixReportedByTheReceiverMovesTheScores() throws Exception {
        start(false);
        broken("ivy", null);
        JsonNode d = decide("ivy", null);
        double before = experience("ivy");
        String callback = "{\"decision_id\":\"" + d.path("id").asText() + "\",\"customer\":\""
                + d.path("profile").asText()
                + "\",\"brand\":\"own\",\"action_id\":\"plan-b-replacement\",\"type\":\"plan_b\",\"channel\":\""
                + d.path("channel").asText() + "\",\"event\":\"accepted\",\"at\":\"" + NOW.plusSeconds(60) + "\"}";
        Running.Reply unauthenticated = s.post("/v1/outcomes", callback.getBytes(StandardCharsets.UTF_8));
        assertThat(unauthenticated.status()).isEqualTo(401);
        Running.Reply ok = s.postJson("/v1/outcomes", callback);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("scored").asInt()).isEqualTo(1);
        assertThat(experience("ivy")).isGreaterThan(before);
        assertThat(s.postJson("/v1/outcomes", callback)
                        .body()
                        .path("duplicates")
                        .asInt())
                .isEqualTo(1);
        assertThat(s.postJson("/v1/outcomes", callback.replace("accepted", "adored"))
                        .body()
                        .path("field")
                        .asText())
                .isEqualTo("event");
    }

    @Test
    void withTheStreamingTriggerAnEventLeadsToADecision() throws Exception {
        start(true);
        broken("jack", null);
        JsonNode d = await(
                        () -> s.get("/api/profiles/jack/decisions").body(),
                        b -> b.path("decisions").size() > 0,
                        "a decision for jack")
                .path("decisions")
                .get(0);
        assertThat(d.path("action").asText()).isEqualTo("plan-b-replacement");
        assertThat(receiver.next().key()).isEqualTo(d.path("id").asText());
    }

    @Test
    void aDeferredActAndItsBodyBindingSurviveARestart() throws Exception {
        start(false);
        broken("kim", AUCKLAND);
        String key = decide("kim", null).path("id").asText();
        s.close();
        s = null;
        clock.now = Instant.parse("2026-11-24T19:00:01Z");
        start(false);
        assertThat(s.server.actions().sendDue()).isEqualTo(1);
        assertThat(receiver.next().key()).isEqualTo(key);
        awaitDecision("kim", key, "delivered");
        s.close();
        s = null;
        start(false);
        assertThat(new SqlDeliveryLog(s.server.store().decisions()).bindBody(key, "another body"))
                .isPresent()
                .get()
                .isNotEqualTo("another body");
    }

    // --- helpers

    void broken(String user, String zone) {
        if (zone != null) identify(user, "{\"timezone\":\"" + zone + "\"}");
        track(user, "Product Used", NOW.minus(Duration.ofHours(1)), "{\"description\":\"the charger is broken\"}");
    }

    void polite(String user) {
        track(
                user,
                "Support Call Completed",
                NOW.minus(Duration.ofHours(1)),
                "{\"need\":\"met\",\"consumer_politeness\":\"polite\"}");
    }

    void track(String user, String event, Instant at, String properties) {
        send("{\"type\":\"track\",\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user + "\",\"event\":\""
                + event + "\",\"timestamp\":\"" + at + "\",\"properties\":" + properties + "}");
    }

    void identify(String user, String traits) {
        send("{\"type\":\"identify\",\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user
                + "\",\"timestamp\":\"" + NOW.minus(Duration.ofDays(1)) + "\",\"traits\":" + traits + "}");
    }

    private void send(String call) {
        Running.Reply r = s.postJson("/v1/batch", "{\"batch\":[" + call + "]}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    }

    void grant(String user, String purpose, String channel, boolean granted) {
        String body = "{\"purpose\":\"" + purpose + "\",\"granted\":" + granted
                + (channel == null ? "" : ",\"channel\":\"" + channel + "\"") + "}";
        assertThat(s.call("POST", "/api/profiles/" + user + "/consents", Running.ADMIN, body)
                        .status())
                .isEqualTo(201);
    }

    JsonNode decide(String user, Instant at) {
        Running.Reply r = s.call(
                "POST",
                "/api/decisions",
                Running.ADMIN,
                "{\"profile\":\"" + user + "\"" + (at == null ? "" : ",\"at\":\"" + at + "\"") + "}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }

    double experience(String user) {
        for (JsonNode rel : s.get("/api/profiles/" + user + "/relationships?at=" + NOW.plusSeconds(120))
                .body()) {
            if (rel.path("brand").asText().equals("own"))
                return rel.path("experience").asDouble();
        }
        throw new AssertionError("no relationship with own for " + user);
    }

    JsonNode awaitDecision(String user, String id, String status) throws InterruptedException {
        JsonNode all = await(
                () -> s.get("/api/profiles/" + user + "/decisions").body(),
                b -> b.path("decisions").findValuesAsText("status").contains(status),
                user + "'s decision " + status);
        for (JsonNode d : all.path("decisions")) if (d.path("id").asText().equals(id)) return d;
        throw new AssertionError("no decision " + id);
    }

    static JsonNode await(java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> done, String what) {
        return org.awaitility.Awaitility.await(what)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(25))
                .until(read::get, done);
    }
}
