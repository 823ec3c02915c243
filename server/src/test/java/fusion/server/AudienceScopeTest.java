package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.analytics.journey.JourneySettings;
import fusion.core.engine.ModelConfig;
import fusion.server.journeys.JourneyService;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ?audience=ID} scopes journey statistics, attribution, brand health and the customer-value
 * fit to the audience's members. The second witness is a second server whose store holds only the
 * members' events: its unscoped figures are what the scoped figures of the first must be. The
 * seeded world: 120 people, each with a research-then-buy habit at our brands {@code shop} and
 * {@code cafe} and at the competitor {@code rival}, over web, store, email and app; the audience is
 * everyone with at least three purchases at {@code shop}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("issue 16: audiences scope journey statistics, attribution, brand health and the customer-value fit")
class AudienceScopeTest {
    private static final Instant END = Instant.parse("2026-11-24T12:00:00Z");
    private static final String RULE = "{\"fact\":\"events\",\"purpose\":\"purchase\",\"brand\":\"shop\",\"gte\":3}";
    private static final List<String> CHANNELS = List.of("web", "store", "email", "app");

    private Running everyone;
    private Running membersOnly;
    private Set<String> members;

    private static ObjectNode track(String user, String brand, String event, String channel, Instant time, int money) {
        ObjectNode call = Running.JSON.createObjectNode();
        call.put("type", "track").put("userId", user).put("event", event).put("timestamp", time.toString());
        ObjectNode props = call.putObject("properties").put("brand", brand).put("channel", channel);
        if (brand.equals("rival")) props.put("competitor", true);
        if (money > 0) props.put("revenue", money);
        return call;
    }

    private static List<ObjectNode> world() {
        Random rnd = new Random(16);
        List<ObjectNode> calls = new ArrayList<>();
        for (int p = 0; p < 120; p++) {
            String who = "p" + p;
            double rate = 0.02 + 0.1 * rnd.nextDouble(); // visits a day
            for (Instant t = END.minus(Duration.ofDays(300));
                    t.isBefore(END);
                    t = t.plus(Duration.ofHours(1 + (long) (-24 * Math.log(1 - rnd.nextDouble()) / rate)))) {
                double b = rnd.nextDouble();
                String brand = b < 0.6 ? "shop" : b < 0.8 ? "cafe" : "rival";
                String channel = CHANNELS.get(rnd.nextInt(CHANNELS.size()));
                calls.add(track(who, brand, "Product Viewed", channel, t, 0));
                Instant buys = t.plus(Duration.ofHours(2 + rnd.nextInt(72)));
                if (rnd.nextDouble() < 0.5 && buys.isBefore(END)) {
                    String buyAt = rnd.nextDouble() < 0.8 ? brand : "rival";
                    calls.add(track(
                            who,
                            buyAt,
                            "Order Completed",
                            CHANNELS.get(rnd.nextInt(CHANNELS.size())),
                            buys,
                            10 + rnd.nextInt(200)));
                }
            }
        }
        calls.sort((x, y) ->
                x.get("timestamp").asText().compareTo(y.get("timestamp").asText()));
        return calls;
    }

    @BeforeAll
    void load(@TempDir Path dir) {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = END;
        List<ObjectNode> calls = world();
        everyone = new Running(
                SqlStore.sqlite(dir.resolve("everyone"), FusionServer.pipeline(ModelConfig.defaults())), clock);
        everyone.sendAll(calls);
        Running.Reply r = everyone.call(
                "POST", "/api/audiences/rules", Running.ADMIN, "{\"id\":\"loyal\",\"rule\":" + RULE + "}");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        members = new TreeSet<>();
        everyone.call("GET", "/api/audiences/rules/loyal/members?limit=1000", Running.ADMIN, null)
                .body()
                .path("members")
                .forEach(m -> members.add(m.asText()));
        assertThat(members).as("the audience is a real part of the world").hasSizeBetween(20, 110);

        membersOnly = new Running(
                SqlStore.sqlite(dir.resolve("members"), FusionServer.pipeline(ModelConfig.defaults())), clock);
        membersOnly.sendAll(calls.stream()
                .filter(c -> members.contains(c.get("userId").asText()))
                .toList());
    }

    @AfterAll
    void close() {
        if (everyone != null) everyone.close();
        if (membersOnly != null) membersOnly.close();
    }

    @Test
    @DisplayName("journey statistics over an audience equal the statistics of a store holding only its members")
    void journeyStatistics() throws Exception {
        JsonNode scoped =
                everyone.get("/api/journeys?at=" + END + "&audience=loyal").body();
        // the same figures, with every party in the segment named by the audience
        JourneySettings d = JourneySettings.defaults();
        JourneyService alone = new JourneyService(
                membersOnly.server.store(),
                java.time.Clock.fixed(END, java.time.ZoneOffset.UTC),
                new JourneySettings(d.dropOutGap(), d.leakageWindow(), d.topPaths(), party -> "loyal"));
        assertThat(scoped).isEqualTo(tree(alone.rebuild(END)));
        assertThat(scoped.path("brands").get(0).path("segment").asText()).isEqualTo("loyal");
        assertThat(scoped).isNotEqualTo(everyone.get("/api/journeys?at=" + END).body());
    }

    @Test
    @DisplayName("attribution over an audience equals the attribution of a store holding only its members")
    void attribution() {
        for (String by : List.of("channel", "purpose")) {
            JsonNode scoped = everyone.get("/api/journeys/attribution?by=" + by + "&order=1,2&audience=loyal")
                    .body();
            JsonNode alone = membersOnly
                    .get("/api/journeys/attribution?by=" + by + "&order=1,2")
                    .body();
            assertThat(scoped.path("conversions").asLong()).isPositive();
            assertThat(scoped).isEqualTo(alone);
            assertThat(scoped.path("conversions").asLong())
                    .isLessThan(everyone.get("/api/journeys/attribution?by=" + by)
                            .body()
                            .path("conversions")
                            .asLong());
        }
    }

    @Test
    @DisplayName("brand health over an audience equals the brand health of a store holding only its members")
    void brandHealth() {
        JsonNode scoped =
                everyone.get("/api/brands?at=" + END + "&audience=loyal").body();
        JsonNode alone = membersOnly.get("/api/brands?at=" + END).body();
        assertThat(scoped).hasSize(3).hasSameSizeAs(alone);
        for (int i = 0; i < alone.size(); i++) {
            JsonNode s = scoped.get(i), a = alone.get(i);
            for (String exact : List.of("id", "name", "competitor", "consumers", "events"))
                assertThat(s.get(exact)).as(a.path("id") + " " + exact).isEqualTo(a.get(exact));
            for (String close : List.of("money", "fusion", "experience"))
                assertThat(s.get(close).asDouble())
                        .as(a.path("id") + " " + close)
                        .isCloseTo(a.get(close).asDouble(), Offset.offset(1e-9));
        }
        JsonNode all = everyone.get("/api/brands?at=" + END).body();
        assertThat(scoped.get(0).path("consumers").asLong())
                .isLessThan(all.get(0).path("consumers").asLong());
    }

    @Test
    @DisplayName("issue 14 leftovers item 3: a brand's daily series over an audience equals the series of a store "
            + "holding only its members, day by day")
    void brandSeries() {
        for (String brand : List.of("shop", "rival")) {
            Running.Reply r = everyone.call(
                    "GET", "/api/brands/" + brand + "?at=" + END + "&days=120&audience=loyal", Running.ADMIN, null);
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
            JsonNode scoped = r.body();
            JsonNode alone = membersOnly
                    .get("/api/brands/" + brand + "?at=" + END + "&days=120")
                    .body();
            JsonNode series = scoped.path("series");
            assertThat(series).hasSize(120).hasSameSizeAs(alone.path("series"));
            for (int i = 0; i < series.size(); i++) {
                JsonNode s = series.get(i), a = alone.path("series").get(i);
                for (String exact : List.of("day", "consumers", "events"))
                    assertThat(s.get(exact))
                            .as(brand + " " + a.path("day") + " " + exact)
                            .isEqualTo(a.get(exact));
                for (String close : List.of("money", "fusion", "experience"))
                    assertThat(s.get(close).asDouble())
                            .as(brand + " " + a.path("day") + " " + close)
                            .isCloseTo(a.get(close).asDouble(), Offset.offset(1e-9));
            }
            for (String exact : List.of("id", "consumers", "events"))
                assertThat(scoped.path("summary").get(exact))
                        .as(brand + " summary " + exact)
                        .isEqualTo(alone.path("summary").get(exact));
            assertThat(scoped.path("summary").path("fusion").asDouble())
                    .isCloseTo(alone.path("summary").path("fusion").asDouble(), Offset.offset(1e-9));
            JsonNode everybody = everyone.get("/api/brands/" + brand + "?at=" + END + "&days=120")
                    .body();
            assertThat(series.get(119).path("consumers").asLong())
                    .as("the audience is fewer than everyone")
                    .isLessThan(
                            everybody.path("series").get(119).path("consumers").asLong());
        }
    }

    @Test
    @DisplayName("the customer-value fit over an audience equals the fit of a store holding only its members")
    void customerValueFit() {
        JsonNode scoped = withoutTimings(
                everyone.get("/api/models/customer-value?audience=loyal").body());
        JsonNode alone =
                withoutTimings(membersOnly.get("/api/models/customer-value").body());
        assertThat(scoped.at("/brands/0/status").asText()).as(scoped.toString()).isEqualTo("fitted");
        assertThat(scoped).isEqualTo(alone);
        assertThat(scoped.path("purchases").asLong())
                .isLessThan(everyone.get("/api/models/customer-value")
                        .body()
                        .path("purchases")
                        .asLong());
        assertThat(withoutTimings(everyone.get("/api/models/customer-value?brand=shop&audience=loyal")
                        .body()))
                .isEqualTo(withoutTimings(
                        membersOnly.get("/api/models/customer-value?brand=shop").body()));
    }

    @Test
    @DisplayName("an audience that is not defined is refused with 400 naming the field audience")
    void unknownAudience() {
        for (String path : List.of(
                "/api/journeys?audience=nobody",
                "/api/journeys/attribution?audience=nobody",
                "/api/brands?audience=nobody",
                "/api/brands/shop?audience=nobody",
                "/api/models/customer-value?audience=nobody")) {
            Running.Reply r = everyone.call("GET", path, Running.ADMIN, null);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.body().path("field").asText()).as(path).isEqualTo("audience");
            assertThat(r.body().path("error").asText()).as(path).contains("no audience 'nobody'", "loyal");
        }
    }

    /** The fit as the API gives it, without the time each fit took (which differs between two runs). */
    private static JsonNode withoutTimings(JsonNode fit) {
        JsonNode copy = fit.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            ((ObjectNode) node).remove("fitMillis");
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) strip(it.next());
        } else if (node.isArray()) node.forEach(AudienceScopeTest::strip);
    }

    private static JsonNode tree(Object value) throws Exception {
        return Running.JSON.readTree(fusion.server.http.HttpApi.json().writeValueAsString(value));
    }
}
