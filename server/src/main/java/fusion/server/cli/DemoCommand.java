package fusion.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.server.FusionServer;
import fusion.server.access.Credentials;
import fusion.server.demo.DemoLoader;
import fusion.server.demo.LiveTicker;
import fusion.server.demo.Scenario;
import fusion.store.BrandAction;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start the server on the demo's own store (./fusion-demo, or --data DIR, or PostgreSQL with --store) "
                    + "and stream a seeded scenario into it through the public Segment API: thousands of consumers, own "
                    + "and competing brands, every channel and purpose, members who renew, influencers, and the concert "
                    + "story of seed 000, declared as glitter's brand action.",
            "A store that already holds the demo is kept as it is, with whatever you added to it, and served "
                    + "again; --reset deletes it and loads the demo afresh. A store holding anything else is left "
                    + "alone.",
            "Then keeps sending live events at the scenario's own daily rate so the dashboard moves. " + "Ctrl-C stops."
        })
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Option(
            names = "--consumers",
            defaultValue = "3000",
            description = "consumers in the scenario (default ${DEFAULT-VALUE})")
    int consumers;

    @Option(
            names = "--seed",
            defaultValue = "2026",
            description = "random seed of the scenario (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-live", description = "do not keep sending live events after the scenario")
    boolean noLive;

    @Option(
            names = "--at",
            paramLabel = "INSTANT",
            description = "end the scenario at this instant (ISO-8601) instead of now, to reproduce it exactly")
    Instant at;

    @Option(
            names = "--reset",
            description =
                    "delete the store first (the embedded store in the data directory, or "
                            + "Fusion's tables in the --store database) and load the demo afresh; without it, an existing demo is kept")
    boolean reset;

    @Override
    public Integer call() throws Exception {
        // every setting is checked before the store is opened, so a bad one leaves nothing open
        options.values();
        options.directLog();
        Path data = options.dataDir("fusion-demo");
        var model = options.modelConfig();
        // the port before anything is created or deleted: a taken port leaves the data as it was
        var taken = PortCheck.taken(options.host(), options.port());
        if (taken.isPresent()) {
            System.err.println("fusion demo: " + taken.get());
            return 2;
        }
        if (reset) {
            if (options.onPostgres()) {
                SqlStore.dropAll(options.values().store().orElseThrow());
                System.out.println("demo: --reset: dropped Fusion's tables in " + options.describe(data));
            } else if (Files.exists(data.resolve("fusion.db"))) {
                long events;
                try (Store old = options.openStore(model, data, true)) { // a server using it refuses this
                    events = old.stats().events();
                }
                for (String f : List.of(
                        "fusion.db", "fusion.db-wal", "fusion.db-shm", "audit.db", "audit.db-wal", "audit.db-shm")) {
                    Files.deleteIfExists(data.resolve(f));
                }
                System.out.printf(
                        "demo: --reset: deleted the store in %s (%,d events)%n", data.toAbsolutePath(), events);
            }
        }
        Secrets.Loaded loaded = Secrets.open(data, options.secretsEnv(), System.out);
        Credentials credentials = loaded.credentials();
        Store store = options.openStore(model, data, true);
        long held = store.stats().events();
        boolean load = held == 0;
        if (!load && store.profile(Scenario.BRAND_DESK).isEmpty()) {
            store.close();
            System.err.printf(
                    "demo: %s holds %,d events that are not the demo's; the demo leaves them alone: pass "
                            + "--data DIR for a directory of its own (or add --reset to delete what it holds)%n",
                    options.describe(data), held);
            return 2;
        }
        if (load) {
            System.out.println("demo: loading the demo into " + options.describe(data) + "; a later ./fusion demo "
                    + "keeps it and what you add to it (./fusion demo --reset loads it afresh)");
        } else {
            System.out.printf(
                    "demo: %s already holds the demo (%,d events, with whatever you added); serving it as it "
                            + "is, without loading again. ./fusion demo --reset deletes it and loads the demo afresh.%n",
                    options.describe(data), held);
            // the concert is declared last: without it, the load that made this store was cut short
            if (store.actions("glitter").stream().noneMatch(a -> a.kind() == BrandAction.Kind.CONCERT)) {
                System.out.println("demo: the load that made it did not finish (the concert is not declared); "
                        + "./fusion demo --reset loads it whole");
            }
        }
        FusionServer server = FusionServer.start(options.config(credentials), store);
        String base = ServerFile.url(options.host(), server.port());
        System.out.println("Fusion is serving " + options.describe(data) + " on " + base + "/");
        ServeCommand.announce(data, base, options.describe(data), credentials);
        Instant end = at != null ? at : Instant.now();
        Scenario scenario = new Scenario(seed, consumers, end);
        // the live stream draws from the scenario too, so it is built unless neither needs it
        List<ObjectNode> messages = load || !noLive ? scenario.messages() : List.of();
        if (load) {
            System.out.printf(
                    "demo: streaming %,d events of %,d consumers through %s/v1/batch%n",
                    messages.size(), consumers, base);
            DemoLoader loader = new DemoLoader(URI.create(base), credentials.writeKey(), System.out);
            DemoLoader.LoadReport report = loader.load(messages);
            System.out.printf(
                    "demo: %,d events in %,d batches, %,d ms (%,.0f events/s)%n",
                    report.messages(),
                    report.batches(),
                    report.millis(),
                    report.messages() * 1000.0 / Math.max(1, report.millis()));
            loader.declare(scenario.actions(), credentials.adminToken());
        }
        System.out.println();
        System.out.println("Where to look:");
        System.out.println("  dashboard           " + loaded.dashboard(base, ""));
        System.out.println("  a rich customer     " + loaded.dashboard(base, "profile=demo-alice"));
        System.out.println("  the artist          " + loaded.dashboard(base, "profile=popstar"));
        System.out.println("  a Plan B            " + loaded.dashboard(base, "profile=demo-bruno"));
        System.out.println("  a polite customer   " + loaded.dashboard(base, "profile=demo-chiara"));
        System.out.println("  API                 curl -H 'Authorization: Bearer " + loaded.bearer() + "' " + base
                + "/api/profiles/popstar/relationships");
        System.out.println(
                "  command line        ./fusion consent show demo-alice, ./fusion audit --subject demo-alice, "
                        + "./fusion journeys, ./fusion models fit (in another terminal, from this directory: they find this "
                        + "server through " + data.resolve(ServerFile.NAME) + ")");
        if (!noLive) {
            LiveTicker ticker = new LiveTicker(URI.create(base), credentials.writeKey(), messages, seed);
            ticker.start();
            System.out.printf(
                    "demo: sending live events at the scenario's own pace (about %,.0f a day, one every %.0f s "
                            + "on average); Ctrl-C stops%n",
                    ticker.perDay(), 86_400 / Math.max(1e-9, ticker.perDay()));
        }
        ServeCommand.awaitShutdown(server, data);
        return 0;
    }
}
