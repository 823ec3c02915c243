package fusion.server.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import fusion.core.engine.ModelConfig;
import fusion.core.model.InvalidInput;
import fusion.models.btyd.BgNbd;
import fusion.models.btyd.Cdnow;
import fusion.models.btyd.CustomerBase;
import fusion.models.btyd.CustomerHistory;
import fusion.models.btyd.GammaGamma;
import fusion.server.FusionServer;
import fusion.server.models.CustomerValueService;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Fit and query the customer-value models (BG/NBD and gamma-gamma; docs/MODELS.md).",
            "When no server is running on the data directory, fit and predict read the store directly, as "
                    + "replay does.",
            "When one is, they ask it: it holds the store and fits the same models (POST "
                    + "/api/models/customer-value/refit, GET /api/profiles/ID/value)."
        },
        subcommands = {
            ModelsCommand.Fit.class,
            ModelsCommand.Predict.class,
            ModelsCommand.CdnowFit.class,
            ModelsCommand.Experience.class,
            ModelsCommand.Churn.class,
            ModelsCommand.Surveys.class
        })
final class ModelsCommand implements Runnable {
    /** Reads the server's answers back into the records it wrote them from. */
    private static final ObjectMapper READ = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the purchases are: the embedded store in a data directory, or PostgreSQL. */
    static final class StoreOptions {
        @Option(
                names = "--data",
                paramLabel = "DIR",
                description = "data directory of the embedded store (default: ./fusion-data or ./fusion-demo, "
                        + "whichever a running server uses)")
        Path data;

        @Option(
                names = "--store",
                paramLabel = "URL",
                defaultValue = "${env:FUSION_STORE}",
                description = "postgresql://user:password@host:port/database instead of the embedded store "
                        + "(or set FUSION_STORE)")
        String store;

        private boolean onPostgres() {
            return store != null && !store.isBlank();
        }

        private Path dir() throws java.io.IOException {
            return data != null ? data : ServerFile.defaultDir(Path.of(""));
        }

        /**
         * The API of the server running on the data directory, when one is (it holds the store):
         * its URL, and its admin token (or {@code FUSION_TOKEN}).
         */
        Optional<ApiOptions> server() throws java.io.IOException {
            if (onPostgres()) return Optional.empty();
            Path dir = dir();
            return ServerFile.running(dir).map(f -> {
                System.err.println("models: asking the server running on " + dir.toAbsolutePath() + " (pid " + f.pid()
                        + ", " + f.url() + "), which holds the store");
                ApiOptions api = new ApiOptions();
                api.url = f.url();
                api.data = dir;
                api.token = System.getenv("FUSION_TOKEN");
                return api;
            });
        }

        Store open() throws java.io.IOException {
            var pipeline = FusionServer.pipeline(ModelConfig.defaults());
            if (onPostgres()) return SqlStore.postgres(StoreUrl.parse(store), pipeline, false);
            Path dir = dir();
            if (!Files.exists(dir.resolve("fusion.db"))) {
                throw new InvalidInput("--data", "no store in " + dir.toAbsolutePath() + " (expected fusion.db)");
            }
            return SqlStore.sqliteReadOnly(dir, pipeline); // reads only, so it works beside a running server
        }
    }

    @Command(
            name = "fit",
            mixinStandardHelpOptions = true,
            description = {
                "Fit BG/NBD and gamma-gamma to each of our brands' purchases up to today (UTC) and print, per "
                        + "brand, its status and reason, and the parameters, log-likelihoods and customer counts "
                        + "of the fits the data identify; progress goes to stderr.",
                "A brand with too few repeat buyers, or whose fit the data do not identify (a parameter at a "
                        + "boundary, or the same P(alive) for everyone), gets its reason and no parameters.",
                "Exit status 0 when at least one brand is fitted, 1 when none is."
            })
    static final class Fit implements Callable<Integer> {
        @Mixin
        StoreOptions where = new StoreOptions();

        @Override
        public Integer call() throws Exception {
            long started = System.nanoTime();
            Optional<ApiOptions> server = where.server();
            if (server.isPresent()) {
                return print(
                        READ.treeToValue(
                                server.get().call("POST", "/api/models/customer-value/refit", null),
                                CustomerValueService.Fits.class),
                        started);
            }
            try (Store store = where.open()) {
                return print(CustomerValueService.once(store, Clock.systemUTC()).refit(System.err), started);
            }
        }

        static int print(CustomerValueService.Fits fits, long started) {
            System.out.printf(
                    Locale.ROOT,
                    "calibration up to %s: %,d purchases at %d brands; %s%n",
                    fits.calibrationEnd(),
                    fits.purchases(),
                    fits.brands().size(),
                    fits.status());
            for (CustomerValueService.Fit fit : fits.brands()) {
                System.out.printf(
                        Locale.ROOT,
                        "%n%s: %s (%,d customers, %,d repeat buyers, %,d purchase days)%n",
                        fit.brand(),
                        fit.status(),
                        fit.customers(),
                        fit.repeatBuyers(),
                        fit.transactions());
                System.out.println("  " + fit.message());
                if (!fit.fitted()) continue;
                var p = fit.purchases();
                var s = fit.spend();
                System.out.printf(
                        Locale.ROOT,
                        "  BG/NBD       r %.4g  alpha %.4g  a %.4g  b %.4g  LL %.2f%n",
                        p.r(),
                        p.alpha(),
                        p.a(),
                        p.b(),
                        p.logLikelihood());
                System.out.printf(
                        Locale.ROOT,
                        "  gamma-gamma  p %.4g  q %.4g  gamma %.4g  LL %.2f  (%,d repeat buyers; "
                                + "mean value per purchase %.2f)%n",
                        s.p(),
                        s.q(),
                        s.gamma(),
                        s.logLikelihood(),
                        s.customers(),
                        s.populationMeanValue());
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n%s%nfitted in %,d ms (%,d ms in all)%n",
                    fits.message(),
                    fits.fitMillis(),
                    (System.nanoTime() - started) / 1_000_000);
            return fits.brands().stream().anyMatch(CustomerValueService.Fit::fitted) ? 0 : 1;
        }
    }

    @Command(
            name = "predict",
            mixinStandardHelpOptions = true,
            description = "Print one person's value at each brand they bought at: probability alive, expected "
                    + "purchases in 52 weeks, expected value per purchase and discounted lifetime value (156 weeks "
                    + "at 15%% a year), or why the brand's fit gives none; fitting first.")
    static final class Predict implements Callable<Integer> {
        @Mixin
        StoreOptions where = new StoreOptions();

        @Option(
                names = "--profile",
                required = true,
                paramLabel = "ID",
                description = "a profile id, user id or anonymous id")
        String profile;

        @Override
        public Integer call() throws Exception {
            Optional<ApiOptions> server = where.server();
            if (server.isPresent()) {
                JsonNode v;
                try {
                    v = server.get().call("GET", "/api/profiles/" + ApiOptions.encode(profile) + "/value", null);
                } catch (ApiOptions.Failed e) {
                    if (e.status == 404)
                        throw new InvalidInput("--profile", "no profile '" + profile + "' in the store");
                    throw e;
                }
                return print(READ.treeToValue(v, CustomerValueService.ProfileValue.class));
            }
            try (Store store = where.open()) {
                String id = store.profile(profile)
                        .orElseThrow(() -> new InvalidInput("--profile", "no profile '" + profile + "' in the store"))
                        .id();
                return print(CustomerValueService.once(store, Clock.systemUTC()).value(id));
            }
        }

        private static int print(CustomerValueService.ProfileValue pv) {
            System.out.println("profile " + pv.profile() + ": " + pv.status());
            System.out.println(pv.message());
            for (CustomerValueService.BrandValue v : pv.brands()) {
                System.out.println();
                System.out.println("  " + v.brand() + ": " + v.status());
                if (v.history() != null) {
                    System.out.printf(
                            Locale.ROOT,
                            "    purchase days %d (x = %d), t_x %.2f weeks, T %.2f weeks%n",
                            v.history().transactions(),
                            v.history().frequency(),
                            v.history().recencyWeeks(),
                            v.history().ageWeeks());
                }
                if (v.probabilityAlive() != null) {
                    System.out.printf(Locale.ROOT, "    probability alive            %.4f%n", v.probabilityAlive());
                    System.out.printf(Locale.ROOT, "    expected purchases, 52 weeks %.4f%n", v.expectedPurchases());
                    System.out.printf(Locale.ROOT, "    expected value per purchase  %.2f%n", v.expectedAverageValue());
                    System.out.printf(
                            Locale.ROOT, "    discounted value, 52 weeks   %.2f%n", v.discountedValue52Weeks());
                    System.out.printf(
                            Locale.ROOT, "    lifetime value, 156 weeks    %.2f (15%% a year)%n", v.lifetimeValue());
                } else {
                    System.out.println("    " + v.message());
                }
            }
            return pv.brands().stream().anyMatch(CustomerValueService.BrandValue::valued) ? 0 : 1;
        }
    }

    @Command(
            name = "experience",
            mixinStandardHelpOptions = true,
            description = "Does the Experience score mean anything? Print the rank correlation (Spearman, with a 95%% "
                    + "interval) between a customer's experience with a brand just before a survey answer and the "
                    + "answer, and between experience 30 days ago and lapsing since, from the store directly "
                    + "(docs/reports/experience-surveys.md).")
    static final class Experience implements Callable<Integer> {
        @Mixin
        StoreOptions where = new StoreOptions();

        @Override
        public Integer call() throws Exception {
            try (Store store = where.open()) {
                fusion.server.models.ExperienceCheck.run(store, java.time.Instant.now(), System.out);
            }
            return 0;
        }
    }

    @Command(
            name = "churn",
            mixinStandardHelpOptions = true,
            description = {
                "Fit each own brand's churn model on the store's own history (lapse: no interaction started in "
                        + "the next 30 days; docs/MODELS.md) and print its status, customers, lapses and held-out "
                        + "AUC, from the store directly.",
                "With --brand, also the brand's active customers most at risk, each with the reasons that raise "
                        + "the risk most (as GET /api/brands/B/churn).",
                "Exit status 0 when at least one brand is fitted, 1 when none is."
            })
    static final class Churn implements Callable<Integer> {
        @Mixin
        StoreOptions where = new StoreOptions();

        @Option(names = "--brand", paramLabel = "BRAND", description = "list this brand's customers most at risk")
        String brand;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "10",
                description = "how many customers to list (1 to 1000; default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws Exception {
            if (limit < 1 || limit > 1000) {
                throw new InvalidInput("--limit", "expected 1 to 1000 but was " + limit);
            }
            try (Store store = where.open()) {
                var churn = fusion.server.models.ChurnService.listening(store, java.time.Clock.systemUTC());
                var fits = churn.refit();
                boolean any = false;
                for (var f : fits.brands()) {
                    any |= f.fitted();
                    System.out.printf(
                            "%-16s %-20s %,7d customers, %,6d lapsed%s%n  %s%n",
                            f.brand(),
                            f.status(),
                            f.customers(),
                            f.lapsed(),
                            f.heldOutAuc() == null
                                    ? ""
                                    : String.format(", held-out AUC %.2f (%,d held out)", f.heldOutAuc(), f.heldOut()),
                            f.message());
                }
                if (fits.brands().isEmpty()) System.out.println("no own brand has interactions");
                if (brand != null) {
                    var risks = churn.brand(brand, limit)
                            .orElseThrow(
                                    () -> new InvalidInput("--brand", "no own brand '" + brand + "' in the store"));
                    System.out.printf("%n%s: %,d active customers; most at risk:%n", brand, risks.active());
                    for (var r : risks.customers()) {
                        System.out.printf(
                                "  %-24s %s%n",
                                r.profile(), r.risk() == null ? r.message() : String.format("%.0f%%", 100 * r.risk()));
                        for (var why : r.reasons()) System.out.println("      " + why.text());
                    }
                }
                return any ? 0 : 1;
            }
        }
    }

    @Command(
            name = "surveys",
            mixinStandardHelpOptions = true,
            description = {
                "Print a brand's survey answers (Survey Answered events: NPS, CSAT, CES, docs/MODELS-CAUSAL.md) "
                        + "per contact point and week, and the drivers of an outcome with their 95%% bootstrap "
                        + "intervals, from the store directly (as GET /api/brands/B/surveys and /drivers)."
            })
    static final class Surveys implements Callable<Integer> {
        @Mixin
        StoreOptions where = new StoreOptions();

        @Option(names = "--brand", required = true, paramLabel = "BRAND", description = "the brand asked about")
        String brand;

        @Option(
                names = "--outcome",
                paramLabel = "nps|csat|ces",
                defaultValue = "nps",
                description = "the answer whose drivers are analysed (default ${DEFAULT-VALUE})")
        String outcome;

        @Override
        public Integer call() throws Exception {
            try (Store store = where.open()) {
                var surveys = new fusion.server.models.SurveyService(store);
                var drivers = surveys.drivers(brand, outcome); // refuses a bad outcome before anything is printed
                var r = surveys.report(brand);
                System.out.printf(
                        "%s: %,d answers; NPS %s, CSAT %s, CES %s%n",
                        brand, r.answers(), figure(r.nps()), figure(r.csat()), figure(r.ces()));
                if (r.message() != null) System.out.println("  " + r.message());
                for (var p : r.periods()) {
                    System.out.printf(
                            "  %-16s week of %s: %,4d answers, NPS %s, CSAT %s, CES %s%n",
                            p.contactPoint(),
                            p.week(),
                            p.answers(),
                            figure(p.nps()),
                            figure(p.csat()),
                            figure(p.ces()));
                }
                System.out.printf("%ndrivers of %s: %s%n", outcome, drivers.message());
                if (drivers.analysis() != null) {
                    for (var d : drivers.analysis().drivers()) {
                        System.out.printf(
                                "  %d. %-20s %.0f%% of the variance (95%%: %.0f%% to %.0f%%)%n",
                                d.rank(), d.name(), 100 * d.lmg(), 100 * d.lmgLower(), 100 * d.lmgUpper());
                    }
                }
                return 0;
            }
        }

        private static String figure(Double v) {
            return v == null ? "-" : String.format("%.1f", v);
        }
    }

    @Command(
            name = "cdnow",
            mixinStandardHelpOptions = true,
            description = "Fit BG/NBD and gamma-gamma to a CDNOW file (CDNOW_sample.txt or CDNOW_master.txt) with "
                    + "the papers' conventions and print the parameters next to the published ones (Fader, Hardie & "
                    + "Lee 2005, for the sample).")
    static final class CdnowFit implements Callable<Integer> {
        @Option(names = "--file", required = true, paramLabel = "PATH", description = "the CDNOW file")
        Path file;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) throw new InvalidInput("--file", "no such file: " + file);
            long t0 = System.nanoTime();
            List<CustomerHistory> customers;
            try {
                customers = Cdnow.load(file);
            } catch (RuntimeException e) {
                throw new InvalidInput("--file", e.getMessage());
            }
            long t1 = System.nanoTime();
            CustomerBase base = CustomerBase.fit(customers, CustomerBase.Kind.BG_NBD);
            long t2 = System.nanoTime();
            BgNbd m = (BgNbd) base.purchases().model();
            GammaGamma g = base.spend().model();
            System.out.printf(
                    Locale.ROOT,
                    "%,d customers, %,d repeat buyers with positive spend%n",
                    customers.size(),
                    base.spend().customers());
            System.out.println("             fitted                                         published (sample)");
            System.out.printf(
                    Locale.ROOT,
                    "BG/NBD       r %.4f alpha %.4f a %.4f b %.4f LL %.2f   r 0.243 alpha 4.414 "
                            + "a 0.793 b 2.426 LL -9582.4%n",
                    m.r(),
                    m.alpha(),
                    m.a(),
                    m.b(),
                    base.purchases().logLikelihood());
            System.out.printf(
                    Locale.ROOT,
                    "gamma-gamma  p %.4f q %.4f gamma %.4f                 p 6.25 q 3.74 gamma " + "15.44%n",
                    g.p(),
                    g.q(),
                    g.gamma());
            System.out.printf(Locale.ROOT, "load %,d ms, fit %,d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            return 0;
        }
    }
}
