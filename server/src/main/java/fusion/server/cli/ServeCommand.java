package fusion.server.cli;

import fusion.core.model.InvalidInput;
import fusion.server.FusionServer;
import fusion.server.Setting;
import fusion.server.access.Credentials;
import fusion.server.log.IngestLog;
import fusion.server.log.KafkaLog;
import fusion.server.log.KafkaUrl;
import fusion.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the HTTP API and dashboard on the embedded store, or on PostgreSQL with --store.",
            "With --log kafka://HOST:PORT/TOPIC (and --store postgresql://...) it is the stateless ingest tier "
                    + "of a cluster: accepted calls go to the Kafka topic that the Flink job reads, and the API "
                    + "reads the serving tables the job writes (docs/SCALE-OUT.md)."
        })
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    // declared in Setting (LOG, LOG_TIMEOUT) with their variables and file keys, as every other option
    @Option(
            names = "--log",
            paramLabel = "URL",
            description = "kafka://HOST:PORT/TOPIC: produce accepted calls to this existing Kafka topic instead of "
                    + "the store's own log (or set FUSION_LOG, file key log); needs --store postgresql://... for "
                    + "the API's reads")
    String log;

    @Option(
            names = "--log-timeout",
            paramLabel = "DURATION",
            description = "with --log: how long a batch waits for Kafka's acknowledgement before it is answered "
                    + "503, 1s to 10min, e.g. 10s (or set FUSION_LOG_TIMEOUT, file key log.timeout; default 10s)")
    String logTimeout;

    @Override
    public Integer call() throws Exception {
        // every setting is checked before the store is opened, so a bad one leaves nothing open
        options.flag(Setting.LOG, log);
        options.flag(Setting.LOG_TIMEOUT, logTimeout);
        options.values();
        options.directLog();
        Path data = options.dataDir("fusion-data");
        var model = options.modelConfig();
        KafkaUrl kafka = options.values().log().orElse(null);
        if (kafka != null && !options.onPostgres()) {
            throw new InvalidInput(
                    Setting.LOG.names(),
                    "a Kafka log needs a PostgreSQL store, " + Setting.STORE.names()
                            + " (the serving tables the job writes and the API reads)");
        }
        // the port before anything is created: a taken port leaves no data directory or credentials
        var taken = PortCheck.taken(options.host(), options.port());
        if (taken.isPresent()) {
            System.err.println("fusion serve: " + taken.get());
            return 2;
        }
        // the store (and with it the data directory's lock) before the credentials in it
        Store store = options.openStore(model, data, false);
        Secrets.Loaded loaded;
        IngestLog events;
        try {
            loaded = Secrets.open(data, options.secretsEnv(), System.out);
            events = kafka == null
                    ? IngestLog.of(store)
                    : KafkaLog.open(
                            kafka,
                            FusionServer.pipeline(model, options.trackingPlan()),
                            options.values().store().orElseThrow(),
                            options.values().logTimeout(),
                            java.time.Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        Credentials credentials = loaded.credentials();
        FusionServer server;
        try {
            server = FusionServer.start(options.config(credentials), store, events);
        } catch (RuntimeException e) {
            if (!bindFailure(e)) throw e;
            System.err.println("fusion serve: " + PortCheck.message(options.host(), options.port())); // taken meanwhile
            return 2;
        }
        System.out.printf(
                "Fusion is serving %s on http://%s:%d/%n", options.describe(data), options.host(), server.port());
        System.out.println("Audit sync: " + store.access().auditSync() + " (--audit-sync; docs/SECURITY.md, Audit)");
        if (kafka != null) System.out.println("Accepted calls go to " + kafka + "; /health shows the job's lag");
        System.out.println("Dashboard: " + loaded.dashboard("http://" + options.host() + ":" + server.port(), "")
                + (loaded.shownToken().isPresent()
                        ? ""
                        : "  (sign in with the admin token from " + loaded.tokenSource() + ")"));
        announce(data, ServerFile.url(options.host(), server.port()), options.describe(data), credentials);
        awaitShutdown(server, data);
        return 0;
    }

    /** The HTTP server could not bind its port (the store was closed by the failed start). */
    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || t.getClass().getSimpleName().contains("BindException")) return true;
        }
        return false;
    }

    /** Writes {@code DATA/server.json} so that the other commands find this server with no flags. */
    static void announce(Path data, String url, String store, Credentials credentials) throws java.io.IOException {
        new ServerFile(
                        url,
                        ProcessHandle.current().pid(),
                        data.toAbsolutePath().toString(),
                        store,
                        credentials.adminTokenFrom(),
                        java.time.Instant.now())
                .write(data);
    }

    /** Waits for Ctrl-C (or SIGTERM), then stops the server and withdraws its {@code server.json}. */
    static void awaitShutdown(FusionServer server, Path data) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            ServerFile.remove(data);
                            server.close();
                            stopped.countDown();
                        },
                        "fusion-shutdown"));
        stopped.await();
    }
}
