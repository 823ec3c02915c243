package fusion.cluster;

import fusion.store.sql.StoreUrl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "cluster-demo",
        mixinStandardHelpOptions = true,
        description = {
            "The scale-out path on this machine, with nothing to install: a Kafka broker (KRaft, in this JVM), the "
                    + "Fusion job on a Flink MiniCluster at parallelism 2, PostgreSQL for the serving tables, and an "
                    + "ingest server with --log kafka://...; then the seeded demo scenario goes through the ingest "
                    + "tier's HTTP API while the progress shows what was sent, what the job applied and its lag.",
            "PostgreSQL: --store names an empty database; without it the demo starts a throw-away server from the "
                    + "system's PostgreSQL binaries (apt-get install postgresql), removed when it stops.",
            "Then serves the dashboard until Ctrl-C (or exits with --exit-when-done). docs/SCALE-OUT.md explains "
                    + "what runs where."
        })
final class ClusterDemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--consumers",
            defaultValue = "1000",
            description = "consumers in the scenario (default ${DEFAULT-VALUE})")
    int consumers;

    @Option(
            names = "--seed",
            defaultValue = "2026",
            description = "random seed of the scenario (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--at",
            paramLabel = "INSTANT",
            description = "end the scenario at this instant (ISO-8601) instead of now, to reproduce it exactly")
    Instant at;

    @Option(
            names = "--store",
            paramLabel = "URL",
            description = "postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE, an empty database for the serving tables; "
                    + "default: a throw-away PostgreSQL of the demo's own")
    String store;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "the ingest server's address (default ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--port",
            defaultValue = "7070",
            description = "the ingest server's port, 0 for any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "partitions of the demo's topic (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(
            names = "--state",
            defaultValue = "rocksdb",
            paramLabel = "rocksdb|heap",
            description = "the job's state backend (default ${DEFAULT-VALUE})")
    String state;

    @Option(
            names = "--exit-when-done",
            description = "stop everything once the job has applied the whole scenario (for tests and scripts)")
    boolean exitWhenDone;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT10M",
            description = "with --exit-when-done: fail if the job has not applied everything by then "
                    + "(ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (consumers < 1) throw bad("--consumers expected at least 1 but was " + consumers);
        if (partitions < 1 || partitions > 64) throw bad("--partitions expected 1 to 64 but was " + partitions);
        if (port < 0 || port > 65_535) throw bad("--port expected 0 to 65535 but was " + port);
        if (!state.equals("rocksdb") && !state.equals("heap")) {
            throw bad("--state expected rocksdb or heap but was '" + state + "'");
        }
        Optional<StoreUrl> db = Optional.empty();
        if (store != null) {
            try {
                db = Optional.of(StoreUrl.parse(store));
            } catch (RuntimeException e) {
                throw bad("--store: " + e.getMessage());
            }
            if (!store.startsWith("postgresql://")) {
                throw bad("--store expected postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE (the job writes "
                        + "PostgreSQL) but was '" + db.get().redacted() + "'");
            }
        }
        var options = new ClusterDemo.Options(
                consumers,
                seed,
                at != null ? at : Instant.now(),
                db,
                host,
                port,
                partitions,
                Duration.ofSeconds(2),
                state.equals("heap") ? "hashmap" : state);
        ClusterDemo demo;
        try {
            demo = ClusterDemo.start(options, System.out);
        } catch (ClusterDemo.NoPostgres e) {
            System.err.println("cluster-demo: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    demo.close();
                    stopped.countDown();
                },
                "cluster-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            demo.stream(Duration.ofSeconds(2));
            boolean applied = demo.awaitApplied(exitWhenDone ? timeout : Duration.ofMinutes(30));
            System.out.println("cluster-demo: " + demo.progress());
            if (!applied) {
                System.err.println(
                        "cluster-demo: the job has not applied everything after " + timeout + "; see the log above");
                if (exitWhenDone) return 1;
            } else {
                System.out.println("cluster-demo: the job has applied every call");
            }
        } catch (Exception | Error e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            demo.close();
            throw e;
        }
        if (exitWhenDone) {
            Runtime.getRuntime().removeShutdownHook(hook);
            demo.close();
            return 0;
        }
        System.out.println();
        System.out.println("Where to look:");
        System.out.println("  dashboard      " + demo.dashboard());
        System.out.println("  a customer     " + demo.dashboard() + "&profile=demo-alice");
        System.out.println("  the job's lag  curl " + demo.base() + "/health");
        System.out.println("  send more      POST " + demo.base() + "/v1/batch (write key "
                + demo.credentials().writeKey()
                + "): it goes through Kafka and the job, and shows after the next checkpoint");
        System.out.println("cluster-demo: serving until Ctrl-C");
        stopped.await();
        return 0;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
