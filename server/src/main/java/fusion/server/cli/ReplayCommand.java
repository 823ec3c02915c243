package fusion.server.cli;

import fusion.server.FusionServer;
import fusion.store.Replay;
import fusion.store.Store;
import fusion.store.StoreInUse;
import fusion.store.sql.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Rebuild the state of a data directory from its event log into an empty store, "
                    + "and compare the two table by table.",
            "Exit status 0 when the rebuilt state equals the live state exactly, 1 when not, 2 when it cannot "
                    + "compare (no store, or a running server holds it: stop the server first)."
        })
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(
            names = "--into",
            paramLabel = "DIR",
            description = "keep the rebuilt store in this new directory (default: a temporary one, deleted)")
    Path into;

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDir("fusion-data");
        if (!options.onPostgres() && !Files.exists(data.resolve("fusion.db"))) {
            System.err.println("replay: no store in " + data.toAbsolutePath() + " (expected fusion.db)");
            return 2;
        }
        Path target = into != null ? into : Files.createTempDirectory("fusion-replay");
        if (Files.exists(target.resolve("fusion.db"))) {
            System.err.println("replay: " + target + " already holds a store; choose an empty directory");
            return 2;
        }
        Replay.Report report;
        Store held;
        try {
            held = options.openStore(options.modelConfig(), data, false);
        } catch (StoreInUse e) {
            // a store being written while it is read gives no fair comparison: no verdict
            System.err.println("replay: a server holds the store in " + e.directory()
                    + e.pid().stream()
                            .mapToObj(pid -> " (pid " + pid + ")")
                            .findFirst()
                            .orElse("")
                    + "; stop it before replaying, or replay a copy of the directory");
            if (into == null) deleteTree(target);
            return 2;
        }
        try (Store live = held;
                Store rebuilt =
                        SqlStore.sqlite(target, FusionServer.pipeline(options.modelConfig(), options.trackingPlan()))) {
            report = Replay.run(live, rebuilt, System.out);
        } finally {
            if (into == null) deleteTree(target);
        }
        return print(report, "replayed", "The replayed state equals the live state exactly, field by field.");
    }

    /** Prints a replay's table-by-table comparison; 0 when identical, 1 when not. */
    static int print(Replay.Report report, String verb, String identical) {
        System.out.printf("%s %,d events in %,d ms%n", verb, report.events(), report.millis());
        report.live()
                .rows()
                .forEach((table, rows) -> System.out.printf(
                        "  %-15s live %,10d  %s %,10d  %s%n",
                        table,
                        rows,
                        verb,
                        report.replayed().rows().get(table),
                        report.differences().contains(table) ? "DIFFERENT" : "identical"));
        if (report.identical()) {
            System.out.println(identical);
            return 0;
        }
        System.out.println("The " + verb + " state DIFFERS in: " + report.differences());
        return 1;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
