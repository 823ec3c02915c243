package fusion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.ModelConfig;
import fusion.models.data.DataFiles;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusion models ...} and {@code fusion impact}: output, exit status, and errors that name the option. */
class ModelsCliTest {
    @TempDir
    Path dir;

    /** Exit status, stdout and stderr, one after the other. */
    private static String run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return code + "\n" + o.toString(StandardCharsets.UTF_8) + "\n" + e.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Path data(String file) {
        return DataFiles.resolve(file);
    }

    @Test
    void modelsFitAndPredictReadThePurchasesOfADataDirectory() throws Exception {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        Random rnd = new Random(5);
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        for (int c = 0; c < 60; c++) {
            int purchases = 1 + rnd.nextInt(5);
            LocalDate day = today.minusDays(200 + rnd.nextInt(100));
            for (int p = 0; p < purchases; p++) {
                batch.append(c + p == 0 ? "" : ",")
                        .append("{\"type\":\"track\",\"userId\":\"p")
                        .append(c)
                        .append("\",\"event\":\"Order Completed\",\"timestamp\":\"")
                        .append(day)
                        .append("T10:00:00Z\",")
                        .append("\"properties\":{\"revenue\":")
                        .append(20 + rnd.nextInt(60))
                        .append("}}");
                day = day.plusDays(1 + rnd.nextInt(40));
            }
        }
        batch.append("]}");
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())))) {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/batch"))
                                    .header(
                                            "Authorization",
                                            "Basic " + Base64.getEncoder().encodeToString("w:".getBytes()))
                                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(run("models", "fit", "--data", dir.toString()))
                .startsWith("0\n")
                .contains("60 customers")
                .contains("BG/NBD       r ")
                .contains("gamma-gamma  p ")
                .contains("reading purchases"); // progress, on stderr
        assertThat(run("models", "predict", "--data", dir.toString(), "--profile", "p3"))
                .startsWith("0\n")
                .contains("profile p3: valued")
                .contains("probability alive")
                .contains("lifetime value, 156 weeks");
        assertThat(run("models", "predict", "--data", dir.toString(), "--profile", "ghost"))
                .startsWith("2\n")
                .contains("--profile: no profile 'ghost'");
        assertThat(run("models", "fit", "--data", dir.resolve("none").toString()))
                .startsWith("2\n")
                .contains("--data");
    }

    /** A track call buying at {@code brand} on {@code day} for {@code revenue}. */
    private static String order(String user, String brand, LocalDate day, double revenue) {
        return "{\"type\":\"track\",\"userId\":\"" + user + "\",\"event\":\"Order Completed\",\"timestamp\":\"" + day
                + "T10:00:00Z\",\"properties\":{\"brand\":\"" + brand + "\",\"revenue\":" + revenue + "}}";
    }

    private static HttpResponse<String> http(FusionServer server, String method, String path, String auth, String body)
            throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                .header("Authorization", auth)
                                .method(
                                        method,
                                        body == null
                                                ? HttpRequest.BodyPublishers.noBody()
                                                : HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("issue 15 item 1: models fit prints each brand's status and reason, the same as the API, and no "
            + "parameters for a brand whose fit the data do not identify")
    void modelsFitPrintsEachBrandsStatusAndReasonAsTheApiGivesThem() throws Exception {
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        Random rnd = new Random(9);
        java.util.List<String> calls = new java.util.ArrayList<>();
        for (int c = 0; c < 120; c++) { // BG/NBD's own story: rates and drop-out vary
            double rate = 0.01 + 0.08 * rnd.nextDouble();
            double leave = 0.1 + 0.4 * rnd.nextDouble();
            LocalDate day = today.minusDays(60 + rnd.nextInt(240));
            while (!day.isAfter(today)) {
                calls.add(order("p" + c, "shop", day, 20 + rnd.nextInt(60)));
                if (rnd.nextDouble() < leave) break;
                day = day.plusDays(1 + (long) (-Math.log(1 - rnd.nextDouble()) / rate));
            }
        }
        for (int c = 0; c < 30; c++) { // everyone buys weekly to this day: nothing to tell apart
            for (LocalDate d = today.minusDays(120 + c % 7); !d.isAfter(today); d = d.plusDays(7)) {
                calls.add(order("r" + c, "steady", d, 4 + rnd.nextInt(2)));
            }
        }
        com.fasterxml.jackson.databind.JsonNode api;
        try (FusionServer server = FusionServer.start(
                FusionConfig.of("127.0.0.1", 0, new Credentials("w", "a")),
                SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults())))) {
            String basic = "Basic " + Base64.getEncoder().encodeToString("w:".getBytes());
            assertThat(http(server, "POST", "/v1/batch", basic, "{\"batch\":[" + String.join(",", calls) + "]}")
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> fits = http(server, "GET", "/api/models/customer-value", "Bearer a", null);
            assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
            api = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fits.body());
        }
        assertThat(api.at("/brands/0/status").asText()).isEqualTo("fitted");
        assertThat(api.at("/brands/1/status").asText()).isEqualTo("not identified");
        String out = run("models", "fit", "--data", dir.toString());
        assertThat(out)
                .startsWith("0\n")
                .contains("shop: fitted (")
                .contains("steady: not identified (30 customers")
                .contains(api.at("/brands/0/message").asText())
                .contains(api.at("/brands/1/message").asText())
                .contains(api.path("message").asText());
        // parameters are printed for the identified brand only
        assertThat(out.split("BG/NBD       r ", -1)).hasSize(2);
        assertThat(out.substring(out.indexOf("steady: not identified"))).doesNotContain("BG/NBD       r ");
    }

    @Test
    void cdnowFitPrintsTheParametersNextToThePublishedOnes() {
        Path sample = data("cdnow/CDNOW_sample.txt");
        assertThat(run("models", "cdnow", "--file", sample.toString()))
                .startsWith("0\n")
                .contains("2,357 customers")
                .contains("r 0.2426 alpha 4.4136 a 0.7929 b 2.4259 LL -9582.43")
                .contains("p 6.2496 q 3.7442 gamma 15.4435");
    }

    @Test
    void impactRunsEachMethodOnTheReferenceFiles() {
        Path simulated = data("impact/simulated_intervention.csv");
        Path basque = data("impact/basque.csv");
        assertThat(run("impact", "--file", simulated.toString(), "--intervention", "71"))
                .startsWith("0\n")
                .contains("average effect    10.4591 [9.9004, 11.0370]")
                .contains("The action had an effect");
        assertThat(run("impact", "--file", basque.toString(), "--intervention", "1975", "--match-from", "1956"))
                .startsWith("0\n")
                .contains("weight Cataluna                                 0.850")
                .contains("placebo p-value 0.41");
        // GDP series drift together: the residuals are autocorrelated, and the verdict says so
        assertThat(run("impact", "--file", basque.toString(), "--intervention", "1975", "--method", "regression"))
                .startsWith("0\n")
                .contains("controls (most correlated")
                .contains("No verdict: before the action the fit's misses run in streaks");
        assertThat(run("impact", "--file", basque.toString(), "--intervention", "1975", "--method", "did"))
                .startsWith("0\n")
                .contains("difference-in-differences on 731 observations in 17 clusters");
        assertThat(run("impact", "--file", simulated.toString(), "--intervention", "71", "--method", "synthetic"))
                .startsWith("2\n")
                .contains("--method");
        assertThat(run("impact", "--file", simulated.toString(), "--intervention", "500"))
                .startsWith("2\n")
                .contains("--intervention");
        assertThat(run("impact", "--file", simulated.toString(), "--intervention", "soon"))
                .startsWith("2\n")
                .contains("--intervention");
        assertThat(run("impact", "--file", "no-such.csv", "--intervention", "3"))
                .startsWith("2\n")
                .contains("--file");
    }

    @Test
    void everyNewCommandHasHelp() {
        for (String[] cmd : new String[][] {
            {"models", "--help"},
            {"models", "fit", "--help"},
            {"models", "predict", "--help"},
            {"models", "cdnow", "--help"},
            {"impact", "--help"}
        }) {
            assertThat(run(cmd)).startsWith("0\n").contains("Usage:");
        }
        assertThat(run("models", "--help")).contains("no server is running");
    }

    private static fusion.core.segment.SegmentCall answer(String user, String point, Instant at, int nps) {
        return new fusion.core.segment.SegmentCall(
                fusion.core.segment.SegmentCall.Type.TRACK,
                "survey-" + user + "-" + at.toEpochMilli(),
                user,
                null,
                "Survey Answered",
                null,
                null,
                null,
                java.util.Map.of("brand", "shop", "contact_point", point, "nps", nps),
                java.util.Map.of(),
                java.util.Map.of(),
                at,
                at);
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "issue 15: models surveys prints a brand's NPS overall and per contact point and "
                    + "week as worked by hand, and models churn says why a brand of four customers has no churn model")
    void surveysAndChurnFromTheCommandLine() {
        Instant tuesday = Instant.parse("2026-11-17T10:00:00Z"); // week of Monday 2026-11-16
        List<fusion.core.segment.SegmentCall> calls = new java.util.ArrayList<>();
        int[] checkout = {10, 9, 7, 3};
        for (int k = 0; k < checkout.length; k++) {
            calls.add(answer("c" + k, "checkout", tuesday.plusSeconds(60L * k), checkout[k]));
        }
        int[] support = {0, 6, 10};
        for (int k = 0; k < support.length; k++) {
            calls.add(answer("s" + k, "support", tuesday.plusSeconds(3600L * k), support[k]));
        }
        try (SqlStore store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            store.ingest(calls);
        }
        // NPS = % promoters (9-10) - % detractors (0-6): checkout 2 and 1 of 4 = 25; support 1 and 2 of 3 = -33.3;
        // all 3 and 3 of 7 = 0
        assertThat(run("models", "surveys", "--data", dir.toString(), "--brand", "shop"))
                .startsWith("0\n")
                .contains("shop: 7 answers; NPS 0.0")
                .containsPattern("checkout +week of 2026-11-16: +4 answers, NPS 25.0")
                .containsPattern("support +week of 2026-11-16: +3 answers, NPS -33.3");
        assertThat(run("models", "surveys", "--data", dir.toString(), "--brand", "shop", "--outcome", "mood"))
                .startsWith("2\n")
                .contains("outcome");
        // seven customers, far below the 50 a churn model needs: no model, and exit status 1
        assertThat(run("models", "churn", "--data", dir.toString(), "--brand", "shop"))
                .startsWith("1\n")
                .contains("too few customers");
    }
}
