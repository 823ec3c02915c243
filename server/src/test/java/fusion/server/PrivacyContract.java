package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.store.Replay;
import fusion.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consent, privacy rights and access control against a live server, run on each store
 * (docs/CONSENT.md): consent is checked at the moment of use, erasure leaves what a replay
 * without the person builds, and every read of personal data is authenticated and audited.
 */
abstract class PrivacyContract {
    static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        volatile Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** A new, empty store of the kind under test. */
    protected abstract Store newStore();

    private final List<Running> running = new ArrayList<>();
    final TestClock clock = new TestClock();

    Running start() {
        Running r = new Running(newStore(), clock);
        running.add(r);
        return r;
    }

    @AfterEach
    void stop() {
        running.forEach(Running::close);
    }

    static String track(String id, String user, String event, Instant at, String properties) {
        return "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\",\"event\":\"" + event
                + "\",\"timestamp\":\"" + at + "\",\"properties\":" + properties + "}";
    }

    static String batch(String... calls) {
        return "{\"batch\":[" + String.join(",", calls) + "]}";
    }

    static void ok(Running.Reply r) {
        assertThat(r.status()).as(r.raw().body()).isBetween(200, 299);
    }

    String admin = Running.ADMIN;

    @Test
    void consentFromTheApiAndFromSegmentIsReadBackAsItStoodAtAnyTime() {
        Running s = start();
        ok(
                s.postJson(
                        "/v1/batch",
                        batch(
                                track("e1", "ana", "Order Completed", T0, "{\"brand\":\"glitter\"}"),
                                "{\"type\":\"identify\",\"messageId\":\"e2\",\"userId\":\"ana\",\"timestamp\":\""
                                        + T0.plusSeconds(60)
                                        + "\",\"context\":{\"consent\":{\"categoryPreferences\":{\"Advertising\":true,\"Analytics\":false}}}}")));
        clock.now = T0.plusSeconds(3600);
        Running.Reply granted = s.call(
                "POST",
                "/api/profiles/ana/consents",
                admin,
                "{\"purpose\":\"personalisation\",\"granted\":true,\"ttlDays\":30,\"source\":\"preference centre\"}");
        assertThat(granted.status()).isEqualTo(201);
        assertThat(granted.body().path("allowed").asBoolean()).isTrue();
        assertThat(granted.body().path("validUntil").asText())
                .isEqualTo(T0.plusSeconds(3600).plus(Duration.ofDays(30)).toString());

        JsonNode before = s.call("GET", "/api/profiles/ana/consents?at=" + T0.plusSeconds(30), admin, null)
                .body();
        assertThat(verdict(before, "marketing", "").path("code").asText()).isEqualTo("never_granted");
        assertThat(verdict(before, "analytics", "").path("code").asText()).isEqualTo("default_allowed");
        JsonNode now = s.call("GET", "/api/profiles/ana/consents", admin, null).body();
        assertThat(verdict(now, "marketing", "").path("code").asText()).isEqualTo("granted");
        assertThat(verdict(now, "analytics", "").path("code").asText()).isEqualTo("revoked");
        assertThat(verdict(now, "personalisation", "").path("reason").asText()).contains("preference centre");
        assertThat(now.path("history")).hasSize(3);

        Running.Reply bad =
                s.call("POST", "/api/profiles/ana/consents", admin, "{\"purpose\":\"telepathy\",\"granted\":true}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("field").asText()).isEqualTo("purpose");
        Running.Reply noFlag = s.call("POST", "/api/profiles/ana/consents", admin, "{\"purpose\":\"marketing\"}");
        assertThat(noFlag.body().path("field").asText()).isEqualTo("granted");
        Running.Reply badExpiry = s.call(
                "POST",
                "/api/profiles/ana/consents",
                admin,
                "{\"purpose\":\"marketing\",\"granted\":true,\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
        assertThat(badExpiry.status()).isEqualTo(400);
        assertThat(badExpiry.body().path("field").asText()).isEqualTo("expiresAt");
    }

    private static JsonNode verdict(JsonNode consents, String purpose, String channel) {
        return StreamSupport.stream(consents.path("verdicts").spliterator(), false)
                .filter(v -> v.path("purpose").asText().equalsIgnoreCase(purpose)
                        && v.path("channel").asText().equals(channel))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no verdict for " + purpose + " in " + consents));
    }

    @Test
    void aGrantThatExpiresBetweenTwoUsesAllowsTheFirstAndRefusesTheSecond() {
        Running s = start();
        ok(s.postJson(
                "/v1/batch",
                batch(
                        track("e1", "ben", "Consent Granted", T0, "{\"purpose\":\"personalisation\",\"ttlDays\":1}"),
                        track("e2", "ben", "Product Viewed", T0, "{}"))));
        clock.now = T0.plus(Duration.ofHours(23));
        assertThat(s.call("GET", "/api/profiles/ben/personalisation", admin, null)
                        .status())
                .isEqualTo(200);
        ok(s.postJson("/v1/batch", batch(track("e3", "ben", "Product Viewed", clock.now, "{}"))));
        clock.now = T0.plus(Duration.ofHours(25));
        Running.Reply refused = s.call("GET", "/api/profiles/ben/personalisation", admin, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("code").asText()).isEqualTo("consent.expired");
        assertThat(refused.body().path("error").asText()).contains("expired at " + T0.plus(Duration.ofDays(1)));
    }

    @Test
    void aGrantWithoutExpiryLapsesAtThePolicysMaximumAge() {
        Running s = start();
        ok(s.postJson("/v1/batch", batch(track("e1", "cy", "Consent Granted", T0, "{\"purpose\":\"sharing\"}"))));
        clock.now = T0.plus(Duration.ofDays(170));
        assertThat(s.call("POST", "/api/profiles/cy/share", admin, "{\"recipient\":\"courier\"}")
                        .status())
                .isEqualTo(200);
        JsonNode expiring =
                s.call("GET", "/api/consents/expiring?within=P30D", admin, null).body();
        assertThat(expiring).hasSize(1);
        assertThat(expiring.get(0).path("profile").asText()).isEqualTo("cy");
        clock.now = T0.plus(Duration.ofDays(183));
        Running.Reply late = s.call("POST", "/api/profiles/cy/share", admin, "{\"recipient\":\"courier\"}");
        assertThat(late.status()).isEqualTo(403);
        assertThat(late.body().path("code").asText()).isEqualTo("consent.expired");
    }

    @Test
    void aRevocationThatArrivesAfterAnEventWasQueuedStopsTheUse() {
        Running s = start();
        ok(s.postJson(
                "/v1/batch",
                batch(
                        track("e1", "dee", "Consent Granted", T0, "{\"purpose\":\"personalisation\"}"),
                        track("e2", "dee", "Product Viewed", T0.plusSeconds(5), "{}"))));
        // the event is in; before anything uses it, the person withdraws
        clock.now = T0.plusSeconds(10);
        ok(s.postJson(
                "/v1/batch",
                batch(track(
                        "e3",
                        "dee",
                        "Consent Revoked",
                        T0.plusSeconds(9),
                        "{\"purpose\":\"personalisation\",\"source\":\"app settings\"}"))));
        Running.Reply r = s.call("GET", "/api/profiles/dee/personalisation", admin, null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().path("code").asText()).isEqualTo("consent.revoked");
        assertThat(r.body().path("error").asText()).contains("app settings");
    }

    @Test
    void aPurposeNeverGrantedIsRefusedForEveryUse() {
        Running s = start();
        ok(s.postJson(
                "/v1/batch",
                batch(
                        track("e1", "eve", "Order Completed", T0, "{\"brand\":\"glitter\"}"),
                        track(
                                "e2",
                                "fay",
                                "Consent Granted",
                                T0,
                                "{\"purpose\":\"marketing\",\"channel\":\"email\"}"))));
        clock.now = T0.plusSeconds(60);
        Running.Reply personal = s.call("GET", "/api/profiles/eve/personalisation", admin, null);
        assertThat(personal.status()).isEqualTo(403);
        assertThat(personal.body().path("code").asText()).isEqualTo("consent.never_granted");
        assertThat(s.call("POST", "/api/profiles/eve/share", admin, "{\"recipient\":\"x\"}")
                        .body()
                        .path("code")
                        .asText())
                .isEqualTo("consent.never_granted");
        JsonNode email = s.call("GET", "/api/audiences?purpose=marketing&channel=email", admin, null)
                .body();
        assertThat(email.path("allowed"))
                .extracting(n -> n.path("profile").asText())
                .containsExactly("fay");
        assertThat(email.path("refused").path("never_granted").asInt()).isEqualTo(1);
        JsonNode sms = s.call("GET", "/api/audiences?purpose=marketing&channel=sms", admin, null)
                .body();
        assertThat(sms.path("allowed")).isEmpty();
        assertThat(s.call("GET", "/api/audiences?purpose=nope", admin, null)
                        .body()
                        .path("field")
                        .asText())
                .isEqualTo("purpose");
    }

    @Test
    void theExportHoldsEverythingKeptAboutThePerson() {
        Running s = start();
        ok(s.postJson(
                "/v1/batch",
                batch(
                        "{\"type\":\"identify\",\"messageId\":\"i1\",\"userId\":\"gus\",\"anonymousId\":\"dev-1\",\"timestamp\":\""
                                + T0 + "\",\"traits\":{\"name\":\"Gus\",\"email\":\"gus@example.com\"}}",
                        track(
                                "e1",
                                "gus",
                                "Order Completed",
                                T0.plusSeconds(1),
                                "{\"brand\":\"glitter\",\"revenue\":40}"),
                        track("e2", "gus", "Consent Granted", T0.plusSeconds(2), "{\"purpose\":\"marketing\"}"))));
        clock.now = T0.plusSeconds(60);
        s.call("GET", "/api/profiles/gus/timeline", admin, null);
        JsonNode x = s.call("GET", "/api/profiles/gus/export", admin, null).body();
        assertThat(x.path("profile").path("identities"))
                .extracting(JsonNode::asText)
                .contains("user:gus", "anon:dev-1");
        assertThat(x.path("profile").path("traits").path("email").asText()).isEqualTo("gus@example.com");
        assertThat(x.path("events"))
                .extracting(e -> e.path("messageId").asText())
                .containsExactly("i1", "e1", "e2");
        assertThat(x.path("relationships").get(0).path("brand").asText()).isEqualTo("glitter");
        assertThat(x.path("ledgers").path("glitter")).isNotEmpty();
        assertThat(x.path("consent").path("history")).hasSize(1);
        assertThat(x.path("audit")).extracting(a -> a.path("action").asText()).contains("read timeline");
        assertThat(x.has("decisions")).isTrue();
    }

    @Test
    void erasureLeavesWhatTheLogWithoutThePersonBuildsAndNamesNoOne() {
        Running s = start();
        Running clean = start();
        List<String> calls = new ArrayList<>();
        List<String> withoutHan = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String who = i % 4 == 0 ? "han" : "p" + (i % 7);
            String event = i % 5 == 0 ? "Delivery Failed" : "Order Completed";
            String call = track(
                    "m" + i,
                    who,
                    event,
                    T0.plusSeconds(i * 60L),
                    "{\"brand\":\"" + (i % 3 == 0 ? "glitter" : "brewline") + "\",\"revenue\":" + (10 + i)
                            + (who.equals("han") ? ",\"co_parties\":[\"p1\"]" : "") + "}");
            calls.add(call);
            if (!who.equals("han")) withoutHan.add(call);
        }
        ok(s.postJson("/v1/batch", batch(calls.toArray(String[]::new))));
        ok(clean.postJson("/v1/batch", batch(withoutHan.toArray(String[]::new))));
        clock.now = T0.plus(Duration.ofDays(1));
        s.call("GET", "/api/profiles/han", admin, null);
        String brandsBefore = s.call("GET", "/api/brands", admin, null).raw().body();

        Running.Reply erased = s.call("DELETE", "/api/profiles/han", admin, null);
        assertThat(erased.status()).as(erased.raw().body()).isEqualTo(200);
        assertThat(erased.body().path("events").asInt()).isEqualTo(10);

        assertThat(s.call("GET", "/api/profiles/han", admin, null).status()).isEqualTo(404);
        String brandsAfter = s.call("GET", "/api/brands", admin, null).raw().body();
        assertThat(brandsAfter)
                .isNotEqualTo(brandsBefore)
                .isEqualTo(clean.call("GET", "/api/brands", admin, null).raw().body());
        assertThat(s.call("GET", "/api/profiles/p1/relationships", admin, null)
                        .raw()
                        .body())
                .isEqualTo(clean.call("GET", "/api/profiles/p1/relationships", admin, null)
                        .raw()
                        .body());
        // the erasure is recorded, naming no one
        String erasures = s.call("GET", "/api/erasures", admin, null).raw().body();
        assertThat(erasures).contains("\"events\":10").doesNotContain("han");
        String audit = s.call("GET", "/api/audit?limit=1000", admin, null).raw().body();
        assertThat(audit).doesNotContain("\"han\"").contains("erased #");
        // a replay of the log does not bring them back
        Store replayed = newStore();
        try {
            Replay.Report report = Replay.run(s.server.store(), replayed, new PrintStream(new ByteArrayOutputStream()));
            assertThat(report.identical()).isTrue();
            assertThat(replayed.profile("han")).isEmpty();
        } finally {
            replayed.close();
        }
        // nor does the source sending their events again
        ok(s.postJson("/v1/batch", batch(calls.get(0), calls.get(4))));
        assertThat(s.call("GET", "/api/profiles/han", admin, null).status()).isEqualTo(404);
    }

    @Test
    void rolesDecideWhatATokenMayDoAndWrongCredentialsLearnNothing() {
        Running s = start();
        ok(s.postJson("/v1/batch", batch(track("e1", "ivy", "Order Completed", T0, "{\"brand\":\"glitter\"}"))));
        String analyst = s.call("POST", "/api/tokens", admin, "{\"name\":\"ana the analyst\",\"role\":\"analyst\"}")
                .body()
                .path("secret")
                .asText();
        Running.Reply op = s.call("POST", "/api/tokens", admin, "{\"name\":\"otto\",\"role\":\"operator\"}");
        String operator = op.body().path("secret").asText();
        assertThat(analyst).startsWith("at_");

        assertThat(s.call("GET", "/api/profiles/ivy", analyst, null).status()).isEqualTo(200);
        Running.Reply denied =
                s.call("POST", "/api/profiles/ivy/consents", analyst, "{\"purpose\":\"marketing\",\"granted\":true}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().path("code").asText()).isEqualTo("role");
        assertThat(s.call(
                                "POST",
                                "/api/profiles/ivy/consents",
                                operator,
                                "{\"purpose\":\"marketing\",\"granted\":true}")
                        .status())
                .isEqualTo(201);
        assertThat(s.call("DELETE", "/api/profiles/ivy", operator, null).status())
                .isEqualTo(403);
        assertThat(s.call("GET", "/api/profiles/ivy/export", operator, null).status())
                .isEqualTo(403);
        assertThat(s.call("GET", "/api/audit", analyst, null).status()).isEqualTo(403);
        assertThat(s.call("GET", "/api/tokens", operator, null).status()).isEqualTo(403);

        // without or with a wrong token, an existing and a missing profile look the same
        for (String token : new String[] {null, "at_wrong", analyst + "x"}) {
            Running.Reply a = s.call("GET", "/api/profiles/ivy", token, null);
            Running.Reply b = s.call("GET", "/api/profiles/nobody", token, null);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.raw().body()).isEqualTo(b.raw().body());
        }
        assertThat(s.call("DELETE", "/api/tokens/" + op.body().path("id").asText(), admin, null)
                        .status())
                .isEqualTo(204);
        assertThat(s.call("GET", "/api/profiles/ivy", operator, null).status()).isEqualTo(401);
        JsonNode tokens = s.call("GET", "/api/tokens", admin, null).body();
        assertThat(tokens.toString())
                .doesNotContain(analyst)
                .doesNotContain(operator)
                .doesNotContain("hash");
        assertThat(tokens)
                .extracting(t -> t.path("name").asText() + " revoked="
                        + !t.path("revoked").isNull())
                .containsExactlyInAnyOrder(
                        "bootstrap admin revoked=false", "ana the analyst revoked=false", "otto revoked=true");
    }

    @Test
    void writeKeysArePerSourceStoredHashedAndRevocable() {
        Running s = start();
        Running.Reply issued = s.call("POST", "/api/keys", admin, "{\"source\":\"shop POS\"}");
        assertThat(issued.status()).isEqualTo(201);
        String key = issued.body().path("secret").asText();
        byte[] body = batch(track("k1", "jo", "Order Completed", T0, "{}")).getBytes(StandardCharsets.UTF_8);
        assertThat(s.post(
                                "/v1/batch",
                                body,
                                "Authorization",
                                Running.basic(key + ":"),
                                "Content-Type",
                                "application/json")
                        .status())
                .isEqualTo(200);
        assertThat(s.server.store().access().credentials(fusion.store.Access.Kind.WRITE))
                .singleElement()
                .satisfies(c -> assertThat(c.hash()).isNotEqualTo(key).doesNotContain(key));
        assertThat(s.call("GET", "/api/keys", admin, null).raw().body())
                .contains("shop POS")
                .doesNotContain(key);
        assertThat(s.call("DELETE", "/api/keys/" + issued.body().path("id").asText(), admin, null)
                        .status())
                .isEqualTo(204);
        Running.Reply refused = s.post(
                "/v1/batch",
                batch(track("k2", "jo", "Order Completed", T0, "{}")).getBytes(StandardCharsets.UTF_8),
                "Authorization",
                Running.basic(key + ":"),
                "Content-Type",
                "application/json");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(s.call("DELETE", "/api/keys/nope", admin, null).status()).isEqualTo(404);
        assertThat(s.call("POST", "/api/keys", admin, "{}").body().path("field").asText())
                .isEqualTo("source");
    }

    @Test
    void everyReadOfPersonalDataIsAuditedAndAdminsCanQueryIt() {
        Running s = start();
        ok(s.postJson("/v1/batch", batch(track("e1", "kay", "Order Completed", T0, "{\"brand\":\"glitter\"}"))));
        String analyst = s.call("POST", "/api/tokens", admin, "{\"name\":\"lee\",\"role\":\"analyst\"}")
                .body()
                .path("secret")
                .asText();
        clock.now = T0.plusSeconds(100);
        s.call("GET", "/api/profiles/kay", analyst, null);
        s.call("GET", "/api/profiles/kay", analyst, null); // the same read again at once: recorded once
        s.call("GET", "/api/profiles/kay/relationships", analyst, null);
        s.call("GET", "/api/profiles/kay/export", analyst, null); // refused: recorded too
        JsonNode entries = s.call("GET", "/api/audit?subject=kay", admin, null).body();
        assertThat(entries)
                .extracting(
                        e -> e.path("action").asText() + " " + e.path("status").asInt())
                .containsExactly(
                        "refused GET /api/profiles/{id}/export 403", "read relationships 200", "read profile 200");
        assertThat(entries.get(1).path("actor").asText()).startsWith("lee (t_");
        assertThat(entries.get(1).path("role").asText()).isEqualTo("analyst");
        assertThat(entries.get(1).path("at").asText())
                .isEqualTo(T0.plusSeconds(100).toString());
        clock.now = T0.plusSeconds(200);
        s.call("GET", "/api/profiles/kay", analyst, null); // a minute later it is a new read
        assertThat(s.call("GET", "/api/audit?subject=kay", admin, null).body()).hasSize(4);
        assertThat(s.call("GET", "/api/audit?since=2030-01-01T00:00:00Z", admin, null)
                        .body())
                .isEmpty();
        assertThat(s.call("GET", "/api/audit?since=yesterday", admin, null)
                        .body()
                        .path("field")
                        .asText())
                .isEqualTo("since");
    }

    @Test
    void secretsNeverReachTheLog() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String key;
        try {
            Running s = start();
            key = s.call("POST", "/api/keys", admin, "{\"source\":\"web\"}")
                    .body()
                    .path("secret")
                    .asText();
            s.call("GET", "/api/profiles/x", "at_guess_" + key, null);
            s.post("/v1/batch", "{broken".getBytes(StandardCharsets.UTF_8), "Authorization", Running.basic(key + ":"));
            s.post(
                    "/v1/batch",
                    batch(track("z1", "zed", "Order Completed", T0, "{}")).getBytes(StandardCharsets.UTF_8),
                    "Authorization",
                    Running.basic("wk_wrong:"));
            s.close();
            running.remove(s);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log)
                .doesNotContain(key)
                .doesNotContain(Running.ADMIN)
                .doesNotContain(Running.WRITE_KEY)
                .doesNotContain("wk_wrong");
    }
}
