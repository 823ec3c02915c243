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
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code churnRisk} fact asks the server's churn model, as {@code /api/profiles/{id}/churn} does. */
class AudienceChurnRiskTest {
    private static final Instant NOW = Instant.parse("2026-11-30T18:00:00Z");

    private static ObjectNode track(String user, String brand, String event, Instant time) {
        ObjectNode call = Running.JSON.createObjectNode();
        call.put("type", "track").put("userId", user).put("event", event).put("timestamp", time.toString());
        ObjectNode props = call.putObject("properties").put("brand", brand);
        if (event.equals("Order Completed")) props.put("revenue", 30);
        return call;
    }

    /**
     * The churn world of {@link ChurnApiTest}, smaller: 200 customers of "shop" at their own rate,
     * 40 % of whom complain and leave; a daily visitor ("loyal"), a recent double complainer
     * ("upset"), one who left 120 days ago ("gone"), and five people of a brand with too few
     * customers to fit ("corner").
     */
    @Test
    @DisplayName("issue 16: churnRisk selects by the churn model's risk at the brand; worked out for known people, "
            + "equal to the risks the churn route gives, and missing where the model gives none; a brand's at-risk "
            + "list scoped to an audience is the full list without the others")
    void churnRiskFollowsTheChurnModel(@TempDir Path dir) {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = NOW;
        Random rnd = new Random(7);
        List<ObjectNode> calls = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int c = 0; c < 200; c++) {
            String who = "u" + c;
            users.add(who);
            double rate = 0.05 + 0.55 * rnd.nextDouble();
            Instant leaves = rnd.nextDouble() < 0.4 ? NOW.minus(Duration.ofHours(rnd.nextInt(150 * 24))) : null;
            for (Instant t = NOW.minus(Duration.ofDays(200));
                    t.isBefore(NOW);
                    t = t.plus(Duration.ofHours(1 + (long) (-24 * Math.log(1 - rnd.nextDouble()) / rate)))) {
                if (leaves != null && t.isAfter(leaves)) break;
                calls.add(track(who, "shop", rnd.nextDouble() < 0.3 ? "Order Completed" : "Product Viewed", t));
            }
            if (leaves != null) calls.add(track(who, "shop", "Complaint Submitted", leaves));
        }
        for (int d = 200; d >= 1; d--)
            calls.add(track("loyal", "shop", "Product Viewed", NOW.minus(Duration.ofDays(d))));
        for (int d = 40; d >= 25; d--)
            calls.add(track("upset", "shop", "Product Viewed", NOW.minus(Duration.ofDays(d))));
        calls.add(track("upset", "shop", "Complaint Submitted", NOW.minus(Duration.ofDays(24))));
        calls.add(track("upset", "shop", "Complaint Submitted", NOW.minus(Duration.ofDays(20))));
        calls.add(track("gone", "shop", "Product Viewed", NOW.minus(Duration.ofDays(120))));
        for (int c = 0; c < 5; c++)
            calls.add(track("few" + c, "corner", "Product Viewed", NOW.minus(Duration.ofDays(50))));
        users.addAll(List.of("loyal", "upset", "gone", "few0", "few1", "few2", "few3", "few4"));
        try (Running s = new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), clock)) {
            s.sendAll(calls);
            define(s, "at-risk", "{\"fact\":\"churnRisk\",\"brand\":\"shop\",\"gt\":0.5}");
            define(s, "corner-scored", "{\"fact\":\"churnRisk\",\"brand\":\"corner\",\"exists\":true}");
            define(s, "shop-unscored", "{\"fact\":\"churnRisk\",\"brand\":\"shop\",\"exists\":false}");

            // the second witness: each person's risk as the churn route reports it
            Set<String> risky = new TreeSet<>(), unscored = new TreeSet<>();
            for (String u : users) {
                JsonNode r = s.get("/api/profiles/" + u + "/churn?brand=shop").body();
                if (r.path("risk").isNumber() && r.path("risk").asDouble() > 0.5) risky.add(u);
                if (!r.path("risk").isNumber()) unscored.add(u);
            }
            Set<String> atRisk = members(s, "at-risk");
            assertThat(atRisk).contains("upset").doesNotContain("loyal", "gone").isEqualTo(risky);
            assertThat(members(s, "corner-scored"))
                    .as("too few customers: no model, no risk")
                    .isEmpty();
            assertThat(members(s, "shop-unscored"))
                    .as("no history at shop, or already lapsed (not active in 90 days)")
                    .contains("few0", "few4", "gone")
                    .doesNotContain("loyal", "upset")
                    .isEqualTo(unscored);

            // the brand's at-risk list scoped to an audience: the full list with everyone else left out
            List<String> scoped = new ArrayList<>(), filtered = new ArrayList<>();
            JsonNode list =
                    s.get("/api/brands/shop/churn?limit=1000&audience=at-risk").body();
            list.path("customers").forEach(r -> scoped.add(r.path("profile").asText()));
            s.get("/api/brands/shop/churn?limit=1000").body().path("customers").forEach(r -> {
                if (atRisk.contains(r.path("profile").asText()))
                    filtered.add(r.path("profile").asText());
            });
            assertThat(scoped).isNotEmpty().isEqualTo(filtered);
            assertThat(list.path("active").asLong()).isEqualTo(filtered.size());
            Running.Reply unknown = s.call("GET", "/api/brands/shop/churn?audience=nobody", Running.ADMIN, null);
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.body().path("field").asText()).isEqualTo("audience");
        }
    }

    private static void define(Running s, String id, String rule) {
        Running.Reply r =
                s.call("POST", "/api/audiences/rules", Running.ADMIN, "{\"id\":\"" + id + "\",\"rule\":" + rule + "}");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    }

    private static Set<String> members(Running s, String id) {
        JsonNode page = s.call("GET", "/api/audiences/rules/" + id + "/members?limit=1000", Running.ADMIN, null)
                .body();
        Set<String> out = new TreeSet<>();
        page.path("members").forEach(m -> out.add(m.asText()));
        return out;
    }
}
