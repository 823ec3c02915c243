package fusion.server.cli;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionServer;
import fusion.store.Store;
import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Options shared by {@code serve} and {@code demo}. */
final class ServerOptions {
    @Option(names = "--port", defaultValue = "7070", description = "HTTP port (0 picks a free one; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory: the embedded store and generated secrets (default ./fusion-data)")
    Path data;

    @Option(names = "--store", paramLabel = "URL", defaultValue = "${env:FUSION_STORE}",
            description = "postgresql://user:password@host:port/database to store in PostgreSQL instead of the "
                    + "embedded store (or set FUSION_STORE)")
    String store;

    @Option(names = "--model", paramLabel = "FILE",
            description = "properties file overriding scoring parameters (see: fusion config)")
    Path model;

    @Option(names = "--consent", paramLabel = "SPEC", defaultValue = "${env:FUSION_CONSENT}",
            description = "consent defaults and grant lifetimes, e.g. personalisation=granted,marketing.maxAge=P90D "
                    + "(or set FUSION_CONSENT; see docs/CONSENT.md)")
    String consent;

    @Option(names = "--webhooks", paramLabel = "FILE", defaultValue = "${env:FUSION_WEBHOOKS}",
            description = "JSON file of decision webhooks per channel (or set FUSION_WEBHOOKS; see docs/DECISIONS.md); "
                    + "without it decisions are recorded, not delivered")
    Path webhooks;

    @Option(names = "--decide-on-events",
            description = "decide the next best action for the people each committed batch touched, for the own "
                    + "brand of each event (see --own-brands)")
    boolean decideOnEvents;

    @Option(names = "--own-brands", paramLabel = "LIST", defaultValue = "${env:FUSION_OWN_BRANDS}",
            description = "the brands Fusion decides for, separated by commas, e.g. glitter,brewline (or set "
                    + "FUSION_OWN_BRANDS; default: own). The first decides when a request names no brand; events of "
                    + "other brands, and any flagged competitor, never trigger a decision")
    String ownBrands;

    @Option(names = "--catalogue", paramLabel = "FILE", defaultValue = "${env:FUSION_CATALOGUE}",
            description = "JSON action catalogue replacing the default one (or set FUSION_CATALOGUE; the format is "
                    + "in docs/DECISIONS.md)")
    Path catalogue;

    fusion.server.decisions.NextBestActions.Settings decisionSettings() {
        return new fusion.server.decisions.NextBestActions.Settings(fusion.server.decisions.Webhooks.load(webhooks),
                decideOnEvents, fusion.server.decisions.NextBestActions.Settings.parseOwnBrands(ownBrands), catalogue(),
                fusion.decisions.Limits.parse(limits));
    }

    @Option(names = "--limits", paramLabel = "SPEC", defaultValue = "${env:FUSION_LIMITS}",
            description = "contact caps and quiet hours, e.g. overall=3/P7D,email=1/P1D,quiet=21:00-08:00 "
                    + "(or set FUSION_LIMITS; see docs/DECISIONS.md)")
    String limits;

    /** The catalogue file's actions, or the default catalogue; a bad file fails naming its JSON path. */
    fusion.decisions.Catalogue catalogue() {
        if (catalogue == null) return fusion.decisions.Catalogue.defaults();
        try {
            return fusion.decisions.Catalogue.read(catalogue);
        } catch (java.io.UncheckedIOException e) {
            throw new fusion.core.model.InvalidInput("catalogue", e.getCause() instanceof java.nio.file.NoSuchFileException
                    ? "no such file " + catalogue : "cannot read " + catalogue + ": " + e.getCause().getMessage());
        } catch (fusion.decisions.InvalidCatalogue e) {
            throw new fusion.core.model.InvalidInput("catalogue", catalogue + ": " + e.getMessage());
        }
    }

    fusion.core.consent.ConsentPolicy consentPolicy() {
        return fusion.core.consent.ConsentPolicy.parse(consent);
    }

    Path dataDir(String fallback) {
        return data == null ? Path.of(fallback) : data;
    }

    boolean onPostgres() {
        return store != null && !store.isBlank();
    }

    /**
     * The store these options name. The embedded store is created and migrated as needed; a
     * PostgreSQL schema is migrated only when {@code migrate} (else it must be current).
     */
    Store openStore(ModelConfig model, Path dataDir, boolean migrate) {
        var pipeline = FusionServer.pipeline(model);
        if (onPostgres()) {
            return SqlStore.postgres(StoreUrl.parse(store), pipeline, migrate);
        }
        return SqlStore.sqlite(dataDir, pipeline);
    }

    /** What the server is started with: these options, the system clock, the default admission limits. */
    fusion.server.FusionConfig config(fusion.server.access.Credentials credentials, ModelConfig model,
                                      fusion.core.consent.ConsentPolicy consent,
                                      fusion.server.decisions.NextBestActions.Settings decisions) {
        return new fusion.server.FusionConfig(host, port, credentials, java.time.Clock.systemUTC(), consent, decisions,
                model, fusion.server.http.Admission.Limits.defaults());
    }

    String describe(Path dataDir) {
        return onPostgres() ? StoreUrl.parse(store).redacted() : dataDir.toAbsolutePath().toString();
    }

    ModelConfig modelConfig() throws IOException {
        if (model == null) return ModelConfig.defaults();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(model)) {
            p.load(in);
        }
        return ModelConfig.of(p);
    }
}
