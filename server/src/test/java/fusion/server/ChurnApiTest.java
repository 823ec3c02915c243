package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Churn risk learnt from the store's own history, per profile with its reasons and per brand. */
class ChurnApiTest {
    private static final Instant NOW = Instant.parse("2026-11-30T18:00:00Z");

    @TempDir
    Path dir;

    private static ObjectNode track(String user, String brand, String event, Instant time) {
        ObjectNode call = Running.JSON.createObjectNode();
        call.put("type", "track").put("userId", user).put("event", event).put("timestamp", time.toString());
        ObjectNode props = call.putObject("properties").put("brand", brand);
        if (event.equals("Order Completed")) props.put("revenue", 30);
        return call;
    }

    /**
     * A world with a known rule: 300 customers of "shop" visit at their own daily rate (0.05 to
     * 0.6) from 200 days ago; 40 % are unhappy and, on a day of their own in the last 150 days,
     * file a complaint and never come back. Whoever visits rarely or has complained is likely to
     * have lapsed 30 days later, so a model that learns the rule ranks lapsers above stayers.
     */
    @Test
    @DisplayName("issue 15 item 2: churn risk is learnt from the store's own lapses, with held-out AUC, "
            + "per profile with its main reasons and per brand, and refused for a brand with too few customers")
    void churnRiskIsLearntFromTheStoresOwnLapses() {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = NOW;
        Random rnd = new Random(42);
        List<ObjectNode> calls = new ArrayList<>();
        Instant cutoff = NOW.minus(Duration.ofDays(30));
        Set<String> activeAtCutoff = new HashSet<>();
        Set<String> lapsed = new HashSet<>();
        for (int c = 0; c < 300; c++) {
            String who = "u" + c;
            double rate = 0.05 + 0.55 * rnd.nextDouble();
            boolean unhappy = rnd.nextDouble() < 0.4;
            Instant leaves = unhappy ? NOW.minus(Duration.ofHours(rnd.nextInt(150 * 24))) : null;
            Instant last = null;
            boolean afterCutoff = false;
            for (Instant t = NOW.minus(Duration.ofDays(200));
                    t.isBefore(NOW);
                    t = t.plus(Duration.ofHours(1 + (long) (-24 * Math.log(1 - rnd.nextDouble()) / rate)))) {
                if (leaves != null && t.isAfter(leaves)) break;
                calls.add(track(who, "shop", rnd.nextDouble() < 0.3 ? "Order Completed" : "Product Viewed", t));
                if (!t.isAfter(cutoff)) last = t;
                else afterCutoff = true;
            }
            if (leaves != null) {
                calls.add(track(who, "shop", "Complaint Submitted", leaves));
                if (!leaves.isAfter(cutoff)) last = leaves;
                else afterCutoff = true;
            }
            // the docs' lapse, counted here from the generated events
            if (last != null && Duration.between(last, cutoff).toDays() < 90) {
                activeAtCutoff.add(who);
                if (!afterCutoff) lapsed.add(who);
            }
        }
        // a loyal daily visitor and a recent complainer, each known to be in the data
        for (int d = 200; d >= 1; d--)
            calls.add(track("loyal", "shop", "Product Viewed", NOW.minus(Duration.ofDays(d))));
        for (int d = 40; d >= 25; d--)
            calls.add(track("upset", "shop", "Product Viewed", NOW.minus(Duration.ofDays(d))));
        calls.add(track("upset", "shop", "Complaint Submitted", NOW.minus(Duration.ofDays(24))));
        calls.add(track("upset", "shop", "Complaint Submitted", NOW.minus(Duration.ofDays(20))));
        // a second brand with five customers: nothing to learn from
        for (int c = 0; c < 5; c++)
            calls.add(track("few" + c, "corner", "Product Viewed", NOW.minus(Duration.ofDays(50))));
        try (Running s = new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), clock)) {
            s.sendAll(calls);
            JsonNode fits = s.get("/api/models/churn").body();
            JsonNode shop = null, corner = null;
            for (JsonNode f : fits.get("brands")) {
                if (f.get("brand").asText().equals("shop")) shop = f;
                if (f.get("brand").asText().equals("corner")) corner = f;
            }
            assertThat(shop.get("status").asText()).as(shop.toString()).isEqualTo("fitted");
            // the loyal visitor and the one who complains later are active at the cutoff and stay
            assertThat(shop.get("customers").asLong()).isEqualTo(activeAtCutoff.size() + 2);
            assertThat(shop.get("lapsed").asLong()).isEqualTo(lapsed.size());
            assertThat(shop.get("heldOutAuc").asDouble()).isGreaterThan(0.75);
            assertThat(shop.get("message").asText()).contains("held-out AUC");
            assertThat(shop.at("/coefficients/daysSinceLastInteraction").asDouble())
                    .isPositive();
            assertThat(corner.get("status").asText()).isEqualTo("too few customers");
            assertThat(corner.get("heldOutAuc").isNull()).isTrue();

            JsonNode upset = s.get("/api/profiles/upset/churn?brand=shop").body();
            JsonNode loyal = s.get("/api/profiles/loyal/churn?brand=shop").body();
            assertThat(upset.get("status").asText()).isEqualTo("scored");
            assertThat(upset.get("risk").asDouble())
                    .isGreaterThan(loyal.get("risk").asDouble());
            assertThat(upset.get("risk").asDouble()).isGreaterThan(0.5);
            assertThat(loyal.get("risk").asDouble()).isLessThan(0.2);
            assertThat(upset.get("reasons").findValuesAsText("feature"))
                    .contains("daysSinceLastInteraction")
                    .hasSizeLessThanOrEqualTo(3);
            assertThat(upset.get("message").asText()).contains("days since the last interaction 20");
            assertThat(s.get("/api/profiles/few1/churn")
                            .body()
                            .at("/brands/0/status")
                            .asText())
                    .isEqualTo("too few customers");

            JsonNode list = s.get("/api/brands/shop/churn?limit=5").body();
            assertThat(list.get("customers")).hasSize(5);
            double previous = 1;
            for (JsonNode r : list.get("customers")) {
                assertThat(r.get("risk").asDouble()).isLessThanOrEqualTo(previous);
                previous = r.get("risk").asDouble();
            }
            assertThat(s.get("/api/brands/nowhere/churn").status()).isEqualTo(404);
        }
    }
}
