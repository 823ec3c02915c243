package fusion.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.server.FusionServer;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.LiveTicker;
import fusion.server.demo.Scenario;
import fusion.server.http.Credentials;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the server on a fresh store (embedded, or PostgreSQL with --store) and stream a seeded scenario into it "
                + "through the public Segment API: thousands of consumers, own and competing brands, every "
                + "channel and purpose, members who renew, influencers, and the concert story of seed 000.",
                "Then keeps sending a trickle of live events so the dashboard moves. Ctrl-C stops."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(names = "--consumers", defaultValue = "3000", description = "consumers in the scenario (default ${DEFAULT-VALUE})")
    int consumers;

    @Option(names = "--seed", defaultValue = "2026", description = "random seed of the scenario (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-live", description = "do not keep sending live events after the scenario")
    boolean noLive;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "end the scenario at this instant (ISO-8601) instead of now, to reproduce it exactly")
    Instant at;

    @Option(names = "--reset", description = "with --store: drop Fusion's tables in that database first")
    boolean reset;

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDir("fusion-demo");
        if (options.onPostgres()) {
            if (reset) SqlStore.dropAll(StoreUrl.parse(options.store));
        } else if (Files.exists(data.resolve("fusion.db"))) {
            if (options.data != null) {
                System.err.println("demo: " + data.toAbsolutePath() + " already holds a store; the demo needs a "
                        + "fresh one (omit --data to use ./fusion-demo, which the demo resets)");
                return 2;
            }
            for (String f : List.of("fusion.db", "fusion.db-wal", "fusion.db-shm")) {
                Files.deleteIfExists(data.resolve(f));
            }
        }
        // every option is checked before the store is opened, so a bad one leaves nothing open
        var consent = options.consentPolicy();
        var decisions = options.decisionSettings();
        Secrets.Loaded loaded = Secrets.open(data, System.getenv(), System.out);
        Credentials credentials = loaded.credentials();
        Store store = options.openStore(options.modelConfig(), data, true);
        if (store.stats().events() > 0) {
            store.close();
            System.err.println("demo: " + options.describe(data) + " already holds events; the demo needs an empty "
                    + "database (add --reset to drop Fusion's tables there)");
            return 2;
        }
        FusionServer server = FusionServer.start(store, options.host, options.port, credentials, Clock.systemUTC(),
                consent, decisions);
        String base = "http://" + (options.host.equals("0.0.0.0") ? "127.0.0.1" : options.host) + ":" + server.port();
        System.out.println("Fusion is serving " + options.describe(data) + " on " + base + "/");
        Instant end = at != null ? at : Instant.now();
        List<ObjectNode> messages = new Scenario(seed, consumers, end).messages();
        System.out.printf("demo: streaming %,d events of %,d consumers through %s/v1/batch%n",
                messages.size(), consumers, base);
        DemoLoader.LoadReport report = new DemoLoader(URI.create(base), credentials.writeKey(), System.out).load(messages);
        System.out.printf("demo: %,d events in %,d batches, %,d ms (%,.0f events/s)%n", report.messages(),
                report.batches(), report.millis(), report.messages() * 1000.0 / Math.max(1, report.millis()));
        System.out.println();
        System.out.println("Where to look:");
        System.out.println("  dashboard           " + loaded.dashboard(base, ""));
        System.out.println("  a rich customer     " + loaded.dashboard(base, "profile=demo-alice"));
        System.out.println("  the artist          " + loaded.dashboard(base, "profile=popstar"));
        System.out.println("  a Plan B            " + loaded.dashboard(base, "profile=demo-bruno"));
        System.out.println("  a polite customer   " + loaded.dashboard(base, "profile=demo-chiara"));
        System.out.println("  API                 curl -H 'Authorization: Bearer " + loaded.bearer() + "' "
                + base + "/api/profiles/popstar/relationships");
        if (!noLive) {
            LiveTicker ticker = new LiveTicker(URI.create(base), credentials.writeKey(), messages, seed);
            ticker.start();
            System.out.println("demo: sending a few live events per second; Ctrl-C stops");
        }
        ServeCommand.awaitShutdown(server);
        return 0;
    }
}
