package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.engine.ModelConfig;
import fusion.models.btyd.BgNbd;
import fusion.models.btyd.CustomerBase;
import fusion.models.btyd.CustomerHistory;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The models in live use over HTTP: customer value on the profile, brand actions and their impact. */
class ModelsApiTest {
    private static final LocalDate DAY0 = LocalDate.of(2026, 6, 1);

    @TempDir
    Path dir;

    private static Running start(Path dir, PrivacyContract.TestClock clock) {
        return new Running(SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())), clock);
    }

    /** A purchase as a Segment call at {@code time}. */
    private static ObjectNode order(String user, String brand, Instant time, double revenue) {
        ObjectNode call = Running.JSON.createObjectNode();
        call.put("type", "track")
                .put("userId", user)
                .put("event", "Order Completed")
                .put("timestamp", time.toString());
        call.putObject("properties").put("brand", brand).put("revenue", revenue);
        return call;
    }

    private static String token(Running s, String role) {
        return s.call("POST", "/api/tokens", Running.ADMIN, "{\"name\":\"" + role + " one\",\"role\":\"" + role + "\"}")
                .body()
                .path("secret")
                .asText();
    }

    /**
     * Customers from BG/NBD's own story (seeded): a gamma-distributed daily purchase rate, a
     * chance of leaving after each purchase, spend around a personal mean.
     */
    private static List<CustomerBase.Purchase> customers(int n, long seed, LocalDate end) {
        Random rnd = new Random(seed);
        List<CustomerBase.Purchase> out = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double rate = 0.01 + 0.08 * rnd.nextDouble();
            double mean = 20 + 60 * rnd.nextDouble();
            LocalDate day = end.minusDays(60 + rnd.nextInt(240));
            while (!day.isAfter(end)) {
                out.add(new CustomerBase.Purchase(
                        "c" + c, day, Math.round(mean * (0.7 + 0.6 * rnd.nextDouble()) * 100) / 100.0));
                if (rnd.nextDouble() < 0.25) break;
                day = day.plusDays(1 + (long) (-Math.log(1 - rnd.nextDouble()) / rate));
            }
        }
        return out;
    }

    @Test
    void customerValueIsFittedOnTheStoresPurchasesAndSaysSoWhenItCannotBe() {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        LocalDate end = DAY0.plusDays(300);
        clock.now = end.atTime(18, 0).toInstant(ZoneOffset.UTC);
        try (Running s = start(dir, clock)) {
            String analyst = token(s, "analyst");
            // too few repeat buyers: an explicit status, no numbers
            s.sendAll(List.of(order("first", "shop", clock.now.minusSeconds(3600), 30)));
            JsonNode early =
                    s.call("GET", "/api/profiles/first/value", analyst, null).body();
            assertThat(early.path("status").asText()).isEqualTo("not valued");
            assertThat(early.at("/brands/0/status").asText()).isEqualTo("too few repeat buyers");
            assertThat(early.path("probabilityAlive").isNull()).isTrue();
            assertThat(early.at("/brands/0/probabilityAlive").isNull()).isTrue();
            assertThat(early.at("/brands/0/message").asText()).contains("at least 10");

            List<CustomerBase.Purchase> purchases = customers(150, 7, end);
            List<ObjectNode> calls = new ArrayList<>();
            for (var p : purchases) {
                calls.add(order(p.customerId(), "shop", p.date().atTime(10, 0).toInstant(ZoneOffset.UTC), p.amount()));
            }
            // a purchase at a competitor is not value to us
            ObjectNode rival =
                    order("c0", "rival", end.minusDays(1).atTime(9, 0).toInstant(ZoneOffset.UTC), 999);
            ((ObjectNode) rival.path("properties")).put("competitor", true);
            calls.add(rival);
            s.sendAll(calls);
            // the cached fit is kept until it is older than five minutes
            assertThat(s.call("GET", "/api/models/customer-value", analyst, null)
                            .body()
                            .at("/brands/0/status")
                            .asText())
                    .isEqualTo("too few repeat buyers");
            clock.advance(Duration.ofMinutes(6));
            JsonNode fits =
                    s.call("GET", "/api/models/customer-value", analyst, null).body();
            assertThat(fits.path("status").asText()).as(fits.toString()).isEqualTo("fitted");
            assertThat(fits.path("brands")).hasSize(1); // the competitor's sale is no fit of ours
            JsonNode fit = fits.at("/brands/0");
            assertThat(fit.path("brand").asText()).isEqualTo("shop");
            assertThat(fit.path("status").asText()).isEqualTo("fitted");
            assertThat(s.call("GET", "/api/models/customer-value?brand=shop", analyst, null)
                            .body()
                            .path("purchases")
                            .path("r")
                            .asDouble())
                    .isEqualTo(fit.at("/purchases/r").asDouble());

            List<CustomerBase.Purchase> all = new ArrayList<>(purchases);
            all.add(new CustomerBase.Purchase(
                    "first", clock.now.atZone(ZoneOffset.UTC).toLocalDate(), 30));
            List<CustomerHistory> histories =
                    CustomerBase.summarise(all, LocalDate.ofInstant(clock.now, ZoneOffset.UTC));
            CustomerBase base = CustomerBase.fit(histories, CustomerBase.Kind.BG_NBD);
            BgNbd m = (BgNbd) base.purchases().model();
            assertThat(fit.path("customers").asLong()).isEqualTo(histories.size());
            assertThat(fit.path("repeatBuyers").asLong()).isEqualTo(base.spend().customers());
            assertThat(fit.path("purchases").path("r").asDouble()).isCloseTo(m.r(), within(1e-9));
            assertThat(fit.path("purchases").path("b").asDouble()).isCloseTo(m.b(), within(1e-9));
            assertThat(fit.path("purchases").path("logLikelihood").asDouble())
                    .isCloseTo(base.purchases().logLikelihood(), within(1e-6));
            assertThat(fit.path("spend").path("q").asDouble())
                    .isCloseTo(base.spend().model().q(), within(1e-9));

            CustomerHistory c3 = histories.stream()
                    .filter(h -> h.id().equals("c3"))
                    .findFirst()
                    .orElseThrow();
            var expected = base.valuation(52, 0.15).value(c3);
            JsonNode whole =
                    s.call("GET", "/api/profiles/c3/value", analyst, null).body();
            assertThat(whole.path("status").asText()).isEqualTo("valued");
            JsonNode v = whole.at("/brands/0");
            assertThat(v.path("status").asText()).isEqualTo("valued");
            assertThat(whole.path("lifetimeValue").asDouble())
                    .isEqualTo(v.path("lifetimeValue").asDouble());
            assertThat(s.call("GET", "/api/profiles/c3/value?brand=shop", analyst, null)
                            .body()
                            .path("lifetimeValue")
                            .asDouble())
                    .isEqualTo(v.path("lifetimeValue").asDouble());
            assertThat(v.path("probabilityAlive").asDouble()).isCloseTo(expected.probabilityAlive(), within(1e-9));
            assertThat(v.path("expectedPurchases").asDouble()).isCloseTo(expected.expectedPurchases(), within(1e-9));
            assertThat(v.path("expectedAverageValue").asDouble())
                    .isCloseTo(expected.expectedAverageValue(), within(1e-9));
            assertThat(v.path("lifetimeValue").asDouble())
                    .isCloseTo(base.valuation(156, 0.15).value(c3).lifetimeValue(), within(1e-6))
                    .isGreaterThan(v.path("discountedValue52Weeks").asDouble());
            assertThat(v.path("history").path("frequency").asInt())
                    .isEqualTo(c3.calibration().frequency());

            // someone who never bought is not part of the customer base
            s.postJson(
                    "/v1/batch",
                    "{\"batch\":[{\"type\":\"track\",\"userId\":\"looker\",\"event\":\"Product Viewed\"}]}");
            assertThat(s.call("GET", "/api/profiles/looker/value", analyst, null)
                            .body()
                            .path("status")
                            .asText())
                    .isEqualTo("no purchases");
            assertThat(s.call("GET", "/api/profiles/nobody/value", analyst, null)
                            .status())
                    .isEqualTo(404);
            assertThat(s.call("GET", "/api/profiles/c3/value", null, null).status())
                    .isEqualTo(401);
            assertThat(s.call("POST", "/api/models/customer-value/refit", analyst, null)
                            .status())
                    .isEqualTo(403);
            assertThat(s.call("POST", "/api/models/customer-value/refit", Running.ADMIN, null)
                            .body()
                            .path("status")
                            .asText())
                    .isEqualTo("fitted");

            // the person's export carries the prediction about them
            assertThat(s.call("GET", "/api/profiles/c3/export", Running.ADMIN, null)
                            .body()
                            .path("customerValue")
                            .path("lifetimeValue")
                            .asDouble())
                    .isEqualTo(v.path("lifetimeValue").asDouble());

            // an erasure drops the cached fit: the person leaves the model inputs at once
            assertThat(s.call("DELETE", "/api/profiles/c3", Running.ADMIN, null).status())
                    .isEqualTo(200);
            assertThat(s.call("GET", "/api/models/customer-value", analyst, null)
                            .body()
                            .at("/brands/0/customers")
                            .asLong())
                    .isEqualTo(histories.size() - 1);
        }
    }

    @Test
    @DisplayName("issue 15 item 1: each brand is fitted on its own; a brand whose fit runs to a boundary is "
            + "refused with its reason and no numbers, at the brand, on the profile and in the total")
    void eachBrandIsFittedOnItsOwnAndAnUnidentifiedOneGivesNoNumbers() {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        LocalDate end = DAY0.plusDays(300);
        clock.now = end.atTime(18, 0).toInstant(ZoneOffset.UTC);
        try (Running s = start(dir, clock)) {
            String analyst = token(s, "analyst");
            List<ObjectNode> calls = new ArrayList<>();
            for (var p : customers(150, 7, end)) {
                calls.add(order(p.customerId(), "shop", p.date().atTime(10, 0).toInstant(ZoneOffset.UTC), p.amount()));
            }
            // at "steady", forty regulars buy every week to this day and nobody ever leaves: no spread
            // of rates and no drop-out to estimate, so the likelihood rises towards a boundary
            Random rnd = new Random(3);
            for (int c = 0; c < 40; c++) {
                for (LocalDate d = end.minusDays(150 + c % 7); !d.isAfter(end); d = d.plusDays(7)) {
                    String who = c == 0 ? "c3" : "regular" + c; // c3 buys at both brands
                    calls.add(order(who, "steady", d.atTime(8, 0).toInstant(ZoneOffset.UTC), 4 + rnd.nextDouble()));
                }
            }
            s.sendAll(calls);
            JsonNode fits =
                    s.call("GET", "/api/models/customer-value", analyst, null).body();
            assertThat(fits.path("status").asText()).as(fits.toString()).isEqualTo("partly fitted");
            assertThat(fits.path("message").asText()).isEqualTo("Fitted for shop; not for steady (not identified).");
            JsonNode shop = fits.at("/brands/0"), steady = fits.at("/brands/1");
            assertThat(shop.path("brand").asText()).isEqualTo("shop");
            assertThat(shop.path("status").asText()).isEqualTo("fitted");
            assertThat(steady.path("brand").asText()).isEqualTo("steady");
            assertThat(steady.path("status").asText()).isEqualTo("not identified");
            assertThat(steady.path("message").asText())
                    .startsWith("The purchases at steady do not identify the model: ")
                    .endsWith("No values are given.");
            assertThat(steady.path("purchases").isNull()).isTrue();
            assertThat(steady.path("spend").isNull()).isTrue();

            JsonNode regular =
                    s.call("GET", "/api/profiles/regular5/value", analyst, null).body();
            assertThat(regular.path("status").asText()).isEqualTo("not valued");
            assertThat(regular.path("lifetimeValue").isNull()).isTrue();
            assertThat(regular.at("/brands/0/status").asText()).isEqualTo("not identified");
            assertThat(regular.at("/brands/0/message").asText())
                    .isEqualTo(steady.path("message").asText());
            assertThat(regular.at("/brands/0/probabilityAlive").isNull()).isTrue();

            // valued at one brand and not at the other: no total that would leave one out
            JsonNode both =
                    s.call("GET", "/api/profiles/c3/value", analyst, null).body();
            assertThat(both.path("status").asText()).isEqualTo("partly valued");
            assertThat(both.path("lifetimeValue").isNull()).isTrue();
            assertThat(both.path("message").asText())
                    .isEqualTo("Valued at shop but not at steady (not identified), so there is no total; "
                            + "each brand below says why.");
            assertThat(both.at("/brands/0/status").asText()).isEqualTo("valued");
            assertThat(both.at("/brands/0/lifetimeValue").asDouble()).isPositive();
            assertThat(s.call("GET", "/api/profiles/c3/value?brand=nowhere", analyst, null)
                            .status())
                    .isEqualTo(404);
            assertThat(s.call("GET", "/api/models/customer-value?brand=nowhere", analyst, null)
                            .status())
                    .isEqualTo(404);
        }
    }

    /**
     * Four brands whose daily sales share a weekly pattern and common shocks, each with its own
     * noise; from the concert on, brand alpha sells {@code jump} more a day.
     */
    private static List<ObjectNode> brandSales(double jump, int preDays, int postDays, long seed) {
        Random rnd = new Random(seed);
        String[] brands = {"alpha", "beta", "gamma", "delta"};
        double[] level = {1000, 800, 1100, 1300};
        double[] loading = {1.0, 0.8, 1.1, 1.3};
        List<ObjectNode> calls = new ArrayList<>();
        for (int d = 0; d < preDays + postDays; d++) {
            double common = 150 * Math.sin(2 * Math.PI * d / 7) + 80 * rnd.nextGaussian();
            for (int b = 0; b < brands.length; b++) {
                double sales =
                        level[b] + loading[b] * common + 20 * rnd.nextGaussian() + (b == 0 && d >= preDays ? jump : 0);
                Instant morning = DAY0.plusDays(d).atTime(9, 0).toInstant(ZoneOffset.UTC);
                calls.add(order("buyer-" + brands[b] + "-" + rnd.nextInt(40), brands[b], morning, sales * 0.4));
                calls.add(order(
                        "buyer-" + brands[b] + "-" + rnd.nextInt(40),
                        brands[b],
                        morning.plusSeconds(6 * 3600),
                        sales * 0.6));
            }
        }
        return calls;
    }

    /**
     * A 2x2 worked by hand: alpha sells 90 and 110 on alternate days before its campaign (mean
     * 100) and 120 and 140 after (mean 130); beta, the only other brand, 90 and 70 (mean 80), then
     * 100 and 80 (mean 90). Difference-in-differences: (130 − 100) − (90 − 80) = 20. Clustered by
     * day, each of the 28 days moves the estimate by ±(alpha's residual − beta's)/14 = ±20/14, so
     * the CR1 variance is 28 · (20/14)² · G/(G−1) · (n−1)/(n−k) with G = 28, n = 56, k = 4, and the
     * 95% interval is ± t(0.975, 27) = 2.0518305 standard errors.
     */
    @Test
    @DisplayName("issue 15 item 3: difference-in-differences is served next to regression and synthetic control, "
            + "and gives the hand-worked 2x2 answer")
    void differenceInDifferencesGivesTheHandWorkedAnswer() {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = DAY0.plusDays(28).atTime(12, 0).toInstant(ZoneOffset.UTC);
        try (Running s = start(dir, clock)) {
            List<ObjectNode> calls = new ArrayList<>();
            for (int d = 0; d < 28; d++) {
                boolean even = d % 2 == 0, post = d >= 14;
                Instant at = DAY0.plusDays(d).atTime(10, 0).toInstant(ZoneOffset.UTC);
                calls.add(order("buyer-a", "alpha", at, (post ? 120 : 90) + (even ? 0 : 20)));
                calls.add(order("buyer-b", "beta", at, (post ? 100 : 90) - (even ? 0 : 20)));
            }
            s.sendAll(calls);
            String campaign = "{\"name\":\"Autumn campaign\",\"kind\":\"campaign\",\"starts\":\""
                    + DAY0.plusDays(14).atTime(8, 0).toInstant(ZoneOffset.UTC) + "\"}";
            Running.Reply declared = s.call("POST", "/api/brands/alpha/actions", Running.ADMIN, campaign);
            assertThat(declared.status()).isEqualTo(201);
            JsonNode r = s.get("/api/brands/alpha/actions/"
                            + declared.body().path("id").asLong() + "/impact?metric=sales&days=14&pre=14")
                    .body();
            assertThat(r.path("regression").isObject()).as(r.toString()).isTrue();
            JsonNode did = r.path("differenceInDifferences");
            assertThat(did.path("effect").asDouble()).isCloseTo(20, within(1e-9));
            assertThat(did.at("/cellMeans/controlPre").asDouble()).isCloseTo(80, within(1e-9));
            assertThat(did.at("/cellMeans/controlPost").asDouble()).isCloseTo(90, within(1e-9));
            assertThat(did.at("/cellMeans/treatedPre").asDouble()).isCloseTo(100, within(1e-9));
            assertThat(did.at("/cellMeans/treatedPost").asDouble()).isCloseTo(130, within(1e-9));
            double se = Math.sqrt(28 * Math.pow(20.0 / 14, 2) * 28.0 / 27 * 55.0 / 52);
            assertThat(did.path("seClustered").asDouble()).isCloseTo(se, within(1e-9));
            assertThat(did.path("lower").asDouble()).isCloseTo(20 - 2.0518305 * se, within(1e-5));
            assertThat(did.path("upper").asDouble()).isCloseTo(20 + 2.0518305 * se, within(1e-5));
            assertThat(did.path("observations").asInt()).isEqualTo(56);
            assertThat(did.path("clusters").asInt()).isEqualTo(28);
            assertThat(did.path("effectDetected").asBoolean()).isTrue();
            assertThat(did.path("message").asText())
                    .startsWith("the brand moved by 30 a day (100 before, 130 after) and the 1 control brand by 10");
            assertThat(r.path("message").asText()).contains("Difference-in-differences: the brand moved by 30");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {200, 0})
    void theImpactIntervalOfADeclaredConcertCoversTheTrueEffect(double jump) {
        int pre = 56;
        int post = 14;
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = DAY0.plusDays(pre + post).atTime(12, 0).toInstant(ZoneOffset.UTC);
        try (Running s = start(dir, clock)) {
            s.sendAll(brandSales(jump, pre, post, 11));
            String operator = token(s, "operator");
            String concert = "{\"name\":\"Summer concert\",\"kind\":\"concert\",\"starts\":\""
                    + DAY0.plusDays(pre).atTime(8, 0).toInstant(ZoneOffset.UTC) + "\",\"description\":\"in the park\"}";
            Running.Reply declared = s.call("POST", "/api/brands/alpha/actions", operator, concert);
            assertThat(declared.status()).isEqualTo(201);
            long id = declared.body().path("id").asLong();
            assertThat(declared.body().path("kind").asText()).isEqualTo("concert");
            assertThat(s.get("/api/brands/alpha/actions").body()).hasSize(1);

            JsonNode impact = s.get("/api/brands/alpha/actions/" + id + "/impact?metric=sales&days=" + post)
                    .body();
            JsonNode reg = impact.path("regression");
            assertThat(reg.path("fitAdequate").asBoolean())
                    .as(impact.path("message").asText())
                    .isTrue();
            JsonNode avg = reg.path("averageEffect");
            assertThat(avg.path("lower").asDouble()).as(avg.toString()).isLessThanOrEqualTo(jump);
            assertThat(avg.path("upper").asDouble()).as(avg.toString()).isGreaterThanOrEqualTo(jump);
            assertThat(reg.path("effectDetected").asBoolean()).isEqualTo(jump > 0);
            assertThat(impact.path("controls")).hasSize(3);
            assertThat(impact.path("preDays").asInt()).isEqualTo(pre);
            assertThat(impact.path("postDays").asInt()).isEqualTo(post);
            JsonNode series = impact.path("series");
            assertThat(series).hasSize(pre + post);
            assertThat(series.get(pre).path("post").asBoolean()).isTrue();
            assertThat(series.get(pre).path("lower").isNumber()).isTrue();
            assertThat(series.get(pre).path("synthetic").isNumber()).isTrue();
            JsonNode synthetic = impact.path("synthetic");
            assertThat(synthetic.path("weights").size()).isEqualTo(3);
            if (jump > 0) {
                assertThat(synthetic.path("averageEffect").asDouble()).isCloseTo(jump, within(60.0));
            }
        }
    }

    @Test
    void actionsAndImpactRefuseWhatTheyCannotUseNamingTheField() {
        PrivacyContract.TestClock clock = new PrivacyContract.TestClock();
        clock.now = DAY0.plusDays(40).atTime(12, 0).toInstant(ZoneOffset.UTC);
        try (Running s = start(dir, clock)) {
            s.sendAll(brandSales(0, 30, 10, 3));
            String analyst = token(s, "analyst");
            String operator = token(s, "operator");
            String ok = "{\"name\":\"Spring sale\",\"kind\":\"promotion\",\"starts\":\"2026-07-01T00:00:00Z\"}";
            assertThat(s.call("POST", "/api/brands/alpha/actions", null, ok).status())
                    .isEqualTo(401);
            assertThat(s.call("POST", "/api/brands/alpha/actions", analyst, ok).status())
                    .isEqualTo(403);
            assertThat(s.call("POST", "/api/brands/nowhere/actions", operator, ok)
                            .status())
                    .isEqualTo(404);
            assertThat(field(s.call(
                            "POST",
                            "/api/brands/alpha/actions",
                            operator,
                            "{\"name\":\"x\",\"kind\":\"party\",\"starts\":\"2026-07-01T00:00:00Z\"}")))
                    .isEqualTo("kind");
            assertThat(field(s.call(
                            "POST", "/api/brands/alpha/actions", operator, "{\"name\":\"x\",\"kind\":\"other\"}")))
                    .isEqualTo("starts");
            assertThat(field(s.call(
                            "POST",
                            "/api/brands/alpha/actions",
                            operator,
                            "{\"kind\":\"other\",\"starts\":\"2026-07-01T00:00:00Z\"}")))
                    .isEqualTo("name");
            assertThat(field(s.call(
                            "POST",
                            "/api/brands/alpha/actions",
                            operator,
                            "{\"name\":\"x\",\"kind\":\"other\",\"starts\":\"2026-07-01\"}")))
                    .isEqualTo("starts");
            assertThat(
                            field(
                                    s.call(
                                            "POST",
                                            "/api/brands/alpha/actions",
                                            operator,
                                            "{\"name\":\"x\",\"kind\":\"other\",\"starts\":\"2026-07-01T00:00:00Z\",\"ends\":\"2026-06-01T00:00:00Z\"}")))
                    .isEqualTo("ends");
            long id = s.call("POST", "/api/brands/alpha/actions", operator, ok)
                    .body()
                    .path("id")
                    .asLong();

            String impact = "/api/brands/alpha/actions/" + id + "/impact";
            assertThat(s.call("GET", impact, null, null).status()).isEqualTo(401);
            assertThat(s.call("GET", impact, analyst, null).status()).isEqualTo(200);
            assertThat(field(s.call("GET", impact + "?metric=mood", analyst, null)))
                    .isEqualTo("metric");
            assertThat(field(s.call("GET", impact + "?days=0", analyst, null))).isEqualTo("days");
            assertThat(field(s.call("GET", "/api/brands/alpha/actions/first/impact", analyst, null)))
                    .isEqualTo("id");
            assertThat(s.call("GET", "/api/brands/alpha/actions/999/impact", analyst, null)
                            .status())
                    .isEqualTo(404);
            // the other metrics answer too; experience comes from the ledger
            assertThat(s.call("GET", impact + "?metric=interactions", analyst, null)
                            .status())
                    .isEqualTo(200);
            JsonNode experience =
                    s.call("GET", impact + "?metric=experience", analyst, null).body();
            assertThat(experience.path("series")).hasSize(40);
            // an action that has not started yet cannot be measured
            String future = "{\"name\":\"Winter gala\",\"kind\":\"concert\",\"starts\":\"2027-01-01T00:00:00Z\"}";
            long later = s.call("POST", "/api/brands/alpha/actions", operator, future)
                    .body()
                    .path("id")
                    .asLong();
            assertThat(field(s.call("GET", "/api/brands/alpha/actions/" + later + "/impact", analyst, null)))
                    .isEqualTo("starts");
        }
    }

    private static String field(Running.Reply r) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        return r.body().path("field").asText();
    }
}
