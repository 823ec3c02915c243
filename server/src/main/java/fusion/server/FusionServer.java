package fusion.server;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.server.http.Credentials;
import fusion.server.http.HttpApi;
import fusion.store.Pipeline;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The composition root: engine, mapping, store and HTTP wired together. Tests start one on port 0;
 * {@code ./fusion serve} and {@code ./fusion demo} start one from the command line.
 */
public final class FusionServer implements AutoCloseable {
    public static final String DEFAULT_BRAND = "own";

    private final Store store;
    private final Javalin http;
    private final Credentials credentials;

    private FusionServer(Store store, Javalin http, Credentials credentials) {
        this.store = store;
        this.http = http;
        this.credentials = credentials;
    }

    public static Pipeline pipeline(ModelConfig model) {
        return new Pipeline(new Engine(model), SegmentMapping.standard(DEFAULT_BRAND));
    }

    /** Opens the embedded store in {@code dataDir} and serves it on {@code host:port}. */
    public static FusionServer start(Path dataDir, String host, int port, Credentials credentials, ModelConfig model,
                                     Clock clock) {
        return start(SqlStore.sqlite(dataDir, pipeline(model)), host, port, credentials, clock);
    }

    /** Serves {@code store} on {@code host:port}; the server owns the store from here on. */
    public static FusionServer start(Store store, String host, int port, Credentials credentials, Clock clock) {
        try {
            Javalin http = new HttpApi(store, credentials, clock).start(host, port);
            return new FusionServer(store, http, credentials);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public Store store() {
        return store;
    }

    public Credentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        http.stop();
        store.close();
    }
}
