package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.engine.ModelConfig;
import fusion.store.Replay;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ideas stream over HTTP: grouping, votes, statuses set by an operator, credit in the ledger, telling. */
class IdeasApiTest {
    @TempDir
    Path dir;

    @TempDir
    Path replayed;

    Running s;
    final Instant t0 = Instant.now().minusSeconds(86_400);

    @BeforeEach
    void start() {
        s = new Running(dir);
        send(track(
                "i1",
                "ida",
                "Idea Submitted",
                "\"description\": \"Please make the one-shoulder sweater in recycled yarn\""));
        send(track(
                "r1",
                "ben",
                "Product Reviewed",
                "\"rating\": 4, \"suggestion\": \"I would love the one shoulder sweater made from recycled yarns\""));
        send(track("f1", "cy", "Feedback Submitted", "\"suggestion\": \"Open the store earlier on Sundays\""));
        send(track("v1", "dan", "Idea Voted", "\"idea_id\": \"i1\""));
        send(track("v2", "eve", "Idea Voted", "\"idea_id\": \"r1\""));
        send(track("v3", "eve", "Idea Voted", "\"idea_id\": \"i1\"")); // the same person again
        send(track("v4", "ida", "Idea Voted", "\"idea_id\": \"i1\"")); // her own idea
    }

    @AfterEach
    void stop() {
        s.close();
    }

    private String track(String id, String user, String event, String props) {
        return "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\",\"event\":\"" + event
                + "\",\"timestamp\":\"" + t0 + "\",\"properties\":{" + props + "}}";
    }

    private void send(String call) {
        Running.Reply r = s.postJson("/v1/batch", "{\"batch\":[" + call + "]}");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    }

    private JsonNode status(String idea, String status, String token, int expected) {
        Running.Reply r = s.call("POST", "/api/ideas/" + idea + "/status", token, "{\"status\":\"" + status + "\"}");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(expected);
        return r.body();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The fusion change of the ledger entry whose cause mentions {@code words}. */
    private double change(String user, String words) {
        JsonNode ledger = s.call("GET", "/api/profiles/" + user + "/ledger?brand=own", Running.ADMIN, null)
                .body();
        for (JsonNode e : ledger) {
            if (e.path("cause").asText().contains(words)) {
                return e.path("fusionAfter").asDouble() - e.path("fusionBefore").asDouble();
            }
        }
        throw new AssertionError("no entry '" + words + "' in " + ledger);
    }

    private static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    @DisplayName(
            "issue 15: an idea and a review's suggestion saying the same thing are one idea; votes count each person once, not the author's own")
    void ideasAreGroupedWithTheirVotes() {
        Running.Reply r = s.call("GET", "/api/brands/own/ideas", Running.ADMIN, null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        JsonNode ideas = r.body();
        assertThat(ideas).hasSize(2);
        JsonNode sweater = ideas.get(0);
        assertThat(sweater.path("id").asText()).isEqualTo("i1");
        assertThat(sweater.path("status").asText()).isEqualTo("new");
        assertThat(texts(sweater.path("contributors"))).containsExactly("ida", "ben");
        assertThat(sweater.path("votes").asInt()).isEqualTo(2); // dan and eve
        assertThat(sweater.path("support").asInt()).isEqualTo(4);
        assertThat(sweater.path("submissions").get(1).path("event").asText()).isEqualTo("Product Reviewed");
        assertThat(ideas.get(1).path("title").asText()).isEqualTo("Open the store earlier on Sundays");
        assertThat(s.call("GET", "/api/ideas/r1", Running.ADMIN, null)
                        .body()
                        .path("id")
                        .asText())
                .isEqualTo("i1");
        assertThat(s.call("GET", "/api/ideas/nope", Running.ADMIN, null).status())
                .isEqualTo(404);
    }

    @Test
    @DisplayName(
            "issue 15: only an operator sets an idea's status; an analyst is refused and a bad status is refused naming the field")
    void statusIsAnOperatorsCall() {
        String analyst = s.call("POST", "/api/tokens", Running.ADMIN, "{\"name\":\"ana\",\"role\":\"analyst\"}")
                .body()
                .path("secret")
                .asText();
        status("i1", "adopted", analyst, 403);
        JsonNode bad = status("i1", "maybe", Running.ADMIN, 400);
        assertThat(bad.path("field").asText()).isEqualTo("status");
        assertThat(s.call("GET", "/api/ideas/i1", Running.ADMIN, null)
                        .body()
                        .path("status")
                        .asText())
                .isEqualTo("new");
    }

    @Test
    @DisplayName(
            "issue 15: adopting credits each contributor once, by the ledger entry's size computed by hand; shipping adds its own; a repeat credits no one")
    void adoptingAndShippingCreditTheContributors() {
        JsonNode review = status("i1", "under_review", Running.ADMIN, 200);
        assertThat(review.path("calls").asInt()).isEqualTo(2);
        assertThat(review.path("credited")).isEmpty();

        JsonNode adopted = status("i1", "adopted", Running.ADMIN, 200);
        assertThat(texts(adopted.path("credited"))).containsExactlyInAnyOrder("ida", "ben");
        assertThat(adopted.path("idea").path("status").asText()).isEqualTo("adopted");
        // ida had given and received nothing (an idea without sentiment moves no side): fusion 50;
        // adoption gives her 1 brand-side point: 100 sqrt(logistic(1/3) logistic(0))
        double adoptedByHand = 100 * Math.sqrt(logistic(1.0 / 3) * 0.5) - 50; // +3.971
        assertThat(change("ida", "idea adopted")).isCloseTo(adoptedByHand, within(1e-3));
        assertThat(change("ben", "idea adopted")).isPositive();

        status("i1", "adopted", Running.ADMIN, 400);
        status("i1", "under_review", Running.ADMIN, 200);
        assertThat(status("i1", "adopted", Running.ADMIN, 200).path("credited")).isEmpty();

        JsonNode shipped = status("i1", "shipped", Running.ADMIN, 200);
        assertThat(texts(shipped.path("credited"))).containsExactlyInAnyOrder("ida", "ben");
        // 1 point (faded for seconds of a 90-day half-life) plus 2 for shipping: 100 sqrt(logistic(3/3) / 2)
        double shippedByHand = 100 * Math.sqrt(logistic(1.0) * 0.5) - 100 * Math.sqrt(logistic(1.0 / 3) * 0.5);
        assertThat(change("ida", "idea shipped")).isCloseTo(shippedByHand, within(1e-3));
        JsonNode history =
                s.call("GET", "/api/ideas/i1", Running.ADMIN, null).body().path("history");
        assertThat(history).hasSize(5);
        assertThat(history.get(4).path("status").asText()).isEqualTo("shipped");
    }

    @Test
    @DisplayName("issue 15: telling a contributor is the catalogue's idea-credit action, and only with their consent")
    void tellingIsConsentBound() {
        assertThat(s.call(
                                "POST",
                                "/api/profiles/ida/consents",
                                Running.ADMIN,
                                "{\"purpose\":\"marketing\",\"granted\":true,\"channel\":\"email\"}")
                        .status())
                .isEqualTo(201);
        JsonNode adopted = status("i1", "adopted", Running.ADMIN, 200);
        JsonNode ida = null;
        JsonNode ben = null;
        for (JsonNode t : adopted.path("told")) {
            if (t.path("profile").asText().equals("ida")) ida = t;
            if (t.path("profile").asText().equals("ben")) ben = t;
        }
        assertThat(ida).isNotNull();
        assertThat(ida.path("outcome").asText()).as(ida.toString()).isEqualTo("act");
        assertThat(ida.path("action").asText()).isEqualTo("idea-credit");
        assertThat(ida.path("channel").asText()).isEqualTo("email");
        assertThat(ben).isNotNull();
        assertThat(ben.path("outcome").asText()).isEqualTo("nothing");
        assertThat(ben.path("reason").asText()).startsWith("no_consent");
    }

    @Test
    @DisplayName(
            "issue 15: statuses are events of the log: a replay into an empty store gives the same tables, credits included")
    void replayReproducesTheCredit() {
        status("i1", "adopted", Running.ADMIN, 200);
        status("i1", "shipped", Running.ADMIN, 200);
        Store live = s.server.store();
        try (Store empty = SqlStore.sqlite(replayed, FusionServer.pipeline(ModelConfig.defaults()))) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            Replay.Report report = Replay.run(live, empty, new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertThat(report.differences()).isEmpty();
            assertThat(report.replayed().rows()).isEqualTo(report.live().rows());
            List<String> causes = new ArrayList<>();
            empty.ledger("ida", "own", 100).forEach(e -> causes.add(e.cause()));
            assertThat(causes).anyMatch(c -> c.contains("idea adopted")).anyMatch(c -> c.contains("idea shipped"));
        }
    }
}
