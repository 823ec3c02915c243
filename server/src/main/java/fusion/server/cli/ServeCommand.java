package fusion.server.cli;

import fusion.server.FusionServer;
import fusion.server.http.Credentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the HTTP API and dashboard on the embedded store, or on PostgreSQL with --store.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDir("fusion-data");
        // every option is checked before the store is opened, so a bad one leaves nothing open
        var model = options.modelConfig();
        var consent = options.consentPolicy();
        var decisions = options.decisionSettings();
        Secrets.Loaded loaded = Secrets.open(data, System.getenv(), System.out);
        Credentials credentials = loaded.credentials();
        FusionServer server = FusionServer.start(options.openStore(model, data, false), options.host,
                options.port, credentials, Clock.systemUTC(), consent, decisions);
        System.out.printf("Fusion is serving %s on http://%s:%d/%n", options.describe(data), options.host, server.port());
        System.out.println("Dashboard: " + loaded.dashboard("http://" + options.host + ":" + server.port(), "")
                + (loaded.shownToken().isPresent() ? "" : "  (sign in with the admin token from " + loaded.tokenSource() + ")"));
        awaitShutdown(server);
        return 0;
    }

    static void awaitShutdown(FusionServer server) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "fusion-shutdown"));
        stopped.await();
    }
}
