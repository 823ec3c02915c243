package fusion.server.cli;

import fusion.server.FusionServer;
import fusion.store.Replay;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "copy",
        mixinStandardHelpOptions = true,
        description = {
            "Move an embedded store into PostgreSQL: replays its event log into the (empty) database, "
                    + "then compares the two stores table by table.",
            "Exit status 0 when the copy equals the original exactly, 1 when not."
        })
final class CopyCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "DIR", required = true, description = "data directory of the embedded store")
    Path from;

    @Option(
            names = "--to",
            paramLabel = "URL",
            required = true,
            description = "postgresql://user:password@host:port/database, migrated here if needed, and empty")
    String to;

    @Option(names = "--model", paramLabel = "FILE", description = "the scoring parameters the store was built with")
    Path model;

    @Option(
            names = "--tracking-plan",
            paramLabel = "FILE",
            description = "the tracking plan the store was built with (default: the default plan)")
    Path trackingPlan;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(from.resolve("fusion.db"))) {
            System.err.println("copy: no store in " + from.toAbsolutePath() + " (expected fusion.db)");
            return 2;
        }
        ServerOptions o = new ServerOptions();
        o.model = model == null ? null : model.toString();
        o.trackingPlan = trackingPlan == null ? null : trackingPlan.toString();
        o.env = java.util.Map.of(); // copy reads the model file it is given, nothing else
        var config = o.modelConfig();
        var plan = o.trackingPlan();
        StoreUrl url = StoreUrl.parse(to);
        try (Store source = SqlStore.sqlite(from, FusionServer.pipeline(config, plan));
                Store target = SqlStore.postgres(url, FusionServer.pipeline(config, plan), true)) {
            if (target.stats().events() > 0) {
                System.err.println("copy: " + url.redacted() + " already holds "
                        + target.stats().events() + " events; copy into an empty database");
                return 2;
            }
            Replay.Report report = Replay.run(source, target, System.out);
            return ReplayCommand.print(
                    report,
                    "copied",
                    "The copy in " + url.redacted() + " equals the embedded store exactly, field by field.");
        }
    }
}
