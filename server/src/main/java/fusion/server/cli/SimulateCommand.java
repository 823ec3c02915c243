package fusion.server.cli;

import fusion.core.consent.ConsentRecord;
import fusion.core.engine.ModelConfig;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.decisions.ActionSpec;
import fusion.decisions.Catalogue;
import fusion.decisions.Holdout;
import fusion.decisions.Simulation;
import fusion.decisions.SimulationReport;
import fusion.decisions.UpliftOutcome;
import fusion.server.FusionServer;
import fusion.server.decisions.CustomerContexts;
import fusion.server.decisions.HoldoutUplift;
import fusion.server.decisions.LedgerConsent;
import fusion.store.ProfileView;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replays a period of the store's history through the decision service, deciding at every event
 * as the streaming trigger would, with each person's time zone, stated channel and real consent
 * ledger (checked at each instant), and writes the Markdown report. Nothing is sent or recorded.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Replay a period of history through the next-best-action service and report what it would do.")
final class SimulateCommand implements Callable<Integer> {
    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "fusion-data",
            description = "data directory of the embedded store (default ${DEFAULT-VALUE})")
    Path data;

    @Option(
            names = "--store",
            paramLabel = "URL",
            defaultValue = "${env:FUSION_STORE}",
            description = "postgresql://... to read PostgreSQL instead (or set FUSION_STORE)")
    String store;

    @Option(
            names = "--brand",
            defaultValue = FusionServer.DEFAULT_BRAND,
            description = "the own brand deciding (default ${DEFAULT-VALUE})")
    String brand;

    @Option(names = "--from", paramLabel = "INSTANT", description = "first instant replayed (default: the log's first)")
    Instant from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "replay events before this instant (default: all)")
    Instant to;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "write the Markdown report here (default: standard output)")
    Path out;

    @Option(
            names = "--limits",
            paramLabel = "SPEC",
            defaultValue = "${env:FUSION_LIMITS}",
            description = "contact caps and quiet hours to simulate, e.g. overall=2/P7D,quiet=20:00-09:00 "
                    + "(default: the server's defaults; see docs/DECISIONS.md)")
    String limits;

    @Option(
            names = "--consent",
            paramLabel = "SPEC",
            defaultValue = "${env:FUSION_CONSENT}",
            description = "consent defaults and grant lifetimes, as for serve")
    String consent;

    @Option(
            names = "--catalogue",
            paramLabel = "FILE",
            defaultValue = "${env:FUSION_CATALOGUE}",
            description = "JSON action catalogue to replay (default: the default catalogue; or set FUSION_CATALOGUE)")
    Path catalogue;

    @Option(
            names = "--uplift",
            paramLabel = "ACTION",
            description = "also estimate this catalogue action's uplift on history: replay it with a holdout and"
                    + " compare the outcome of the people it would have been given with the people held out")
    String uplift;

    @Option(
            names = "--holdout",
            paramLabel = "SHARE",
            description = "share held out for --uplift, 0 to 0.5 (default: the catalogue's holdout of the action,"
                    + " else 0.2)")
    Double holdoutShare;

    @Option(
            names = "--holdout-seed",
            paramLabel = "N",
            description = "seed of the holdout draw for --uplift (default: the catalogue's, else 0)")
    Long holdoutSeed;

    @Option(
            names = "--outcome",
            defaultValue = "purchase",
            description = "outcome for --uplift: purchase, lapse, experience or fusion (default ${DEFAULT-VALUE};"
                    + " see docs/DECISIONS.md)")
    String outcome;

    @Option(
            names = "--days",
            defaultValue = "30",
            description = "days after each person's first decision the outcome is read over, 1 to 365"
                    + " (default ${DEFAULT-VALUE})")
    String days;

    @Override
    public Integer call() throws Exception {
        // options first: a bad one stops before the store is opened
        Catalogue declared = catalogue == null ? Catalogue.defaults() : catalogue(catalogue);
        UpliftOutcome measured = UpliftOutcome.parse("--outcome", outcome);
        int window = HoldoutUplift.days("--days", days);
        Optional<ActionSpec> action = uplift == null ? Optional.empty() : Optional.of(action(declared, uplift));
        Holdout holdout = action.map(a -> holdout(a.holdout())).orElse(Holdout.NONE);
        Catalogue base = action.isEmpty() ? declared : UpliftOnHistory.withHoldout(declared, uplift, holdout);
        var pipeline = FusionServer.pipeline(ModelConfig.defaults());
        boolean postgres = store != null && !store.isBlank();
        try (Store s = postgres
                ? SqlStore.postgres(StoreUrl.parse(store), pipeline, false)
                : SqlStore.sqliteReadOnly(data, pipeline)) { // reads only: works beside a running server
            List<Interaction> history = new ArrayList<>();
            s.forEachInteraction(i -> {
                if ((from == null || !i.time().isBefore(from))
                        && (to == null || i.time().isBefore(to))) history.add(i);
            });
            Map<String, List<ConsentRecord>> ledgers = new HashMap<>();
            s.forEachConsentLedger(ledgers::put);
            Map<String, Optional<ProfileView>> people = new HashMap<>();
            var policy = fusion.core.consent.ConsentPolicy.parse(consent);
            Simulation.Config config = Simulation.Config.of(brand, fusion.decisions.Limits.parse(limits))
                    .withZones(p -> people.computeIfAbsent(p, s::profile)
                            .map(v -> CustomerContexts.zone(v.traits()))
                            .orElse(ZoneId.of("UTC")))
                    .withStated(p -> people.computeIfAbsent(p, s::profile)
                            .map(v -> CustomerContexts.stated(v.traits()))
                            .orElse(List.of()))
                    .withConsent(p -> LedgerConsent.of(policy, ledgers.getOrDefault(p, List.of())));
            SimulationReport report = Simulation.run(history, base, config);
            String md = header(postgres ? StoreUrl.parse(store).redacted() : data.toString(), history)
                    + report.toMarkdown().replaceFirst("^# Decision simulation\n\n", "");
            if (action.isPresent()) {
                Instant end = to != null
                        ? to
                        : history.stream()
                                .map(Interaction::time)
                                .max(Instant::compareTo)
                                .orElse(Instant.EPOCH);
                var estimate = UpliftOnHistory.measure(
                        s, history, report.decisions(), uplift, holdout, measured, window, brand, end);
                md += "\n"
                        + UpliftOnHistory.markdown(
                                estimate,
                                UpliftOnHistory.label(
                                        s, uplift, holdout, action.get().holdout(), from, to));
            }
            if (out == null) {
                System.out.print(md);
            } else {
                if (out.toAbsolutePath().getParent() != null)
                    Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, md, StandardCharsets.UTF_8);
                System.out.printf(
                        "simulate: %d events replayed, %d decisions, %d acts; report in %s%n",
                        history.size(), report.decisions().size(), report.acts().size(), out);
            }
        }
        return 0;
    }

    private static ActionSpec action(Catalogue catalogue, String id) {
        return catalogue
                .find(id)
                .orElseThrow(() -> new InvalidInput(
                        "--uplift",
                        "no action '" + id + "' in the catalogue; expected one of "
                                + catalogue.actions().stream()
                                        .map(ActionSpec::id)
                                        .toList()));
    }

    private static Catalogue catalogue(Path file) {
        try {
            return Catalogue.read(file);
        } catch (java.io.UncheckedIOException e) {
            throw new InvalidInput(
                    "--catalogue", "cannot read " + file + ": " + e.getCause().getMessage());
        } catch (fusion.decisions.InvalidCatalogue e) {
            throw new InvalidInput("--catalogue", file + ": " + e.getMessage());
        }
    }

    /** The holdout to simulate: the options, else the catalogue's, else 20% with seed 0. */
    private Holdout holdout(Holdout declared) {
        double share = holdoutShare != null ? holdoutShare : declared.share() > 0 ? declared.share() : 0.2;
        long seed = holdoutSeed != null ? holdoutSeed : declared.seed();
        try {
            return new Holdout(share, seed);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("--holdout", "expected a share from 0 to 0.5 but was " + share);
        }
    }

    private String header(String where, List<Interaction> history) {
        StringBuilder cmd = new StringBuilder("./fusion simulate --data ")
                .append(data)
                .append(" --brand ")
                .append(brand);
        if (from != null) cmd.append(" --from ").append(from);
        if (to != null) cmd.append(" --to ").append(to);
        if (out != null) cmd.append(" --out ").append(out);
        if (catalogue != null) cmd.append(" --catalogue ").append(catalogue);
        if (uplift != null) {
            cmd.append(" --uplift ")
                    .append(uplift)
                    .append(" --outcome ")
                    .append(outcome)
                    .append(" --days ")
                    .append(days);
            if (holdoutShare != null) cmd.append(" --holdout ").append(holdoutShare);
            if (holdoutSeed != null) cmd.append(" --holdout-seed ").append(holdoutSeed);
        }
        Instant first =
                history.stream().map(Interaction::time).min(Instant::compareTo).orElse(null);
        Instant last =
                history.stream().map(Interaction::time).max(Instant::compareTo).orElse(null);
        return "# Decision simulation\n\n"
                + "Produced by `" + cmd + "` on " + where + ": " + history.size() + " events of "
                + history.stream().map(Interaction::party).distinct().count() + " people, " + first + " to " + last
                + ". Brand `" + brand + "`, " + (catalogue == null ? "default catalogue" : "catalogue " + catalogue)
                + " and limits (3 contacts a week, 1 a day per channel, "
                + "quiet 21:00-08:00 local), each person's time zone, stated channel and consent ledger as the "
                + "store holds them. Nothing was sent.\n\n";
    }
}
