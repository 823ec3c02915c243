package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Survey answers mapped, stored and reported per contact point and week; drivers over them. */
class SurveyApiTest {
    @TempDir
    Path dir;

    private static ObjectNode answer(String user, String point, Instant at) {
        ObjectNode call = Running.JSON.createObjectNode();
        call.put("type", "track")
                .put("userId", user)
                .put("event", "Survey Answered")
                .put("timestamp", at.toString());
        call.putObject("properties").put("brand", "shop").put("contact_point", point);
        return call;
    }

    private static ObjectNode props(ObjectNode call) {
        return (ObjectNode) call.get("properties");
    }

    @Test
    @DisplayName("issue 15 item 4: NPS, CSAT, CES and comments are reported per contact point and week as "
            + "worked by hand")
    void surveyAnswersAreReportedPerContactPointAndWeek() {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = Instant.parse("2026-11-30T12:00:00Z");
        Instant tuesday = Instant.parse("2026-11-17T10:00:00Z"); // week of Monday 2026-11-16
        List<ObjectNode> calls = new ArrayList<>();
        int[] checkout = {10, 9, 7, 3};
        for (int k = 0; k < checkout.length; k++) {
            ObjectNode c = answer("c" + k, "checkout", tuesday.plusSeconds(60L * k));
            props(c).put("nps", checkout[k]);
            if (k < 3) props(c).put("csat", 5 - k);
            calls.add(c);
        }
        int[] support = {0, 6, 10};
        for (int k = 0; k < support.length; k++) {
            ObjectNode c = answer("s" + k, "support", tuesday.plusSeconds(3600L * k));
            props(c).put("nps", support[k]);
            if (k < 2) props(c).put("ces", 2 + 4 * k);
            calls.add(c);
        }
        ObjectNode late = answer("s0", "support", Instant.parse("2026-11-24T09:00:00Z"));
        props(late).put("nps", 11).put("comment", "the chat bot sent me in circles"); // 11 is off the scale
        calls.add(late);
        try (Running s = new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), clock)) {
            s.sendAll(calls);
            JsonNode r = s.get("/api/brands/shop/surveys").body();
            assertThat(r.get("answers").asInt()).isEqualTo(8);
            // promoters 10, 9, 10 and detractors 3, 0, 6 of 7 scale answers: 100 (3 − 3) / 7 = 0
            assertThat(r.get("nps").asDouble()).isCloseTo(0, within(1e-9));
            JsonNode p0 = r.at("/periods/0"), p1 = r.at("/periods/1"), p2 = r.at("/periods/2");
            assertThat(p0.get("contactPoint").asText()).isEqualTo("checkout");
            assertThat(p0.get("week").asText()).isEqualTo("2026-11-16");
            assertThat(p0.get("nps").asDouble()).isCloseTo(100.0 * (2 - 1) / 4, within(1e-9));
            assertThat(p0.get("csat").asDouble()).isCloseTo((5 + 4 + 3) / 3.0, within(1e-9));
            assertThat(p1.get("contactPoint").asText()).isEqualTo("support");
            assertThat(p1.get("nps").asDouble()).isCloseTo(100.0 * (1 - 2) / 3, within(1e-9));
            assertThat(p1.get("ces").asDouble()).isCloseTo((2 + 6) / 2.0, within(1e-9));
            assertThat(p2.get("week").asText()).isEqualTo("2026-11-23");
            assertThat(p2.get("npsAnswers").asInt()).isZero();
            assertThat(p2.get("nps").isNull()).isTrue();
            assertThat(r.at("/comments/0/comment").asText()).isEqualTo("the chat bot sent me in circles");
        }
    }

    /**
     * 200 answers where the NPS answer is 1 + 0.6 · delivery + 0.2 · price + noise, and quality
     * does not move it: delivery must come out first, price second, quality last.
     */
    @Test
    @DisplayName("issue 15 item 4: the drivers of the store's own NPS answers come out in the generator's order, "
            + "with bootstrap intervals")
    void driversComeFromTheStoresOwnAnswers() {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = Instant.parse("2026-11-30T12:00:00Z");
        Random rnd = new Random(8);
        List<ObjectNode> calls = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            int delivery = 1 + rnd.nextInt(10), price = 1 + rnd.nextInt(10), quality = 1 + rnd.nextInt(10);
            long nps = Math.round(1 + 0.6 * delivery + 0.2 * price + 0.8 * rnd.nextGaussian());
            ObjectNode c = answer("r" + k, "checkout", clock.now.minusSeconds(3600L * (k + 1)));
            props(c).put("nps", Math.max(0, Math.min(10, nps)));
            props(c).putObject("answers")
                    .put("delivery", delivery)
                    .put("price", price)
                    .put("quality", quality);
            calls.add(c);
        }
        try (Running s = new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), clock)) {
            s.sendAll(calls);
            JsonNode d = s.get("/api/brands/shop/drivers").body();
            assertThat(d.get("status").asText()).as(d.toString()).isEqualTo("analysed");
            assertThat(d.get("respondents").asInt()).isEqualTo(200);
            JsonNode drivers = d.at("/analysis/drivers");
            assertThat(drivers.findValuesAsText("name")).containsExactly("delivery", "price", "quality");
            for (JsonNode x : drivers) {
                assertThat(x.get("lmgLower").asDouble())
                        .isLessThanOrEqualTo(x.get("lmg").asDouble());
                assertThat(x.get("lmgUpper").asDouble())
                        .isGreaterThanOrEqualTo(x.get("lmg").asDouble());
            }
            assertThat(drivers.get(0).get("lmgLower").asDouble())
                    .isGreaterThan(drivers.get(1).get("lmgUpper").asDouble());
            assertThat(d.get("message").asText()).contains("delivery matters most");
            assertThat(s.get("/api/brands/shop/drivers?outcome=csat")
                            .body()
                            .get("status")
                            .asText())
                    .isEqualTo("too few answers");
            assertThat(s.get("/api/brands/shop/drivers?outcome=mood").status()).isEqualTo(400);
        }
    }
}
