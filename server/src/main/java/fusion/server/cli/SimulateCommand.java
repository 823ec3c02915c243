package fusion.server.cli;

import fusion.core.consent.ConsentRecord;
import fusion.core.engine.ModelConfig;
import fusion.core.model.Interaction;
import fusion.decisions.Simulation;
import fusion.decisions.SimulationReport;
import fusion.server.FusionServer;
import fusion.server.decisions.CustomerContexts;
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

    @Override
    public Integer call() throws Exception {
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
            SimulationReport report = Simulation.run(history, config);
            String md = header(postgres ? StoreUrl.parse(store).redacted() : data.toString(), history)
                    + report.toMarkdown().replaceFirst("^# Decision simulation\n\n", "");
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

    private String header(String where, List<Interaction> history) {
        StringBuilder cmd = new StringBuilder("./fusion simulate --data ")
                .append(data)
                .append(" --brand ")
                .append(brand);
        if (from != null) cmd.append(" --from ").append(from);
        if (to != null) cmd.append(" --to ").append(to);
        if (out != null) cmd.append(" --out ").append(out);
        Instant first =
                history.stream().map(Interaction::time).min(Instant::compareTo).orElse(null);
        Instant last =
                history.stream().map(Interaction::time).max(Instant::compareTo).orElse(null);
        return "# Decision simulation\n\n"
                + "Produced by `" + cmd + "` on " + where + ": " + history.size() + " events of "
                + history.stream().map(Interaction::party).distinct().count() + " people, " + first + " to " + last
                + ". Brand `" + brand + "`, default catalogue and limits (3 contacts a week, 1 a day per channel, "
                + "quiet 21:00-08:00 local), each person's time zone, stated channel and consent ledger as the "
                + "store holds them. Nothing was sent.\n\n";
    }
}
