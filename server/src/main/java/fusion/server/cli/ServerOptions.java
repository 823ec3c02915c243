package fusion.server.cli;

import fusion.core.engine.ModelConfig;
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

    @Option(names = "--data", description = "data directory of the embedded store")
    Path data;

    @Option(names = "--model", paramLabel = "FILE",
            description = "properties file overriding scoring parameters (see: fusion config)")
    Path model;

    ModelConfig modelConfig() throws IOException {
        if (model == null) return ModelConfig.defaults();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(model)) {
            p.load(in);
        }
        return ModelConfig.of(p);
    }
}
