package fusion.models.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the shared reference data. Order: the {@code fusion.data} system property, the
 * {@code FUSION_DATA} environment variable, then {@code shared/data} in the working directory or
 * any of its parents (the project keeps it at {@code ../shared/data} from its root).
 */
public final class DataFiles {

    private DataFiles() {
    }

    /** The data folder, if one can be found. */
    public static Optional<Path> root() {
        String configured = System.getProperty("fusion.data", System.getenv("FUSION_DATA"));
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Optional.of(Path.of(configured));
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A file under the data folder; throws saying how to configure it when it cannot be found. */
    public static Path resolve(String relative) {
        Path root = root().orElseThrow(() -> new IllegalStateException(
                "shared data folder not found: set -Dfusion.data=/path/to/shared/data"));
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("data file missing: " + file);
        }
        return file;
    }

    /** The project root (the nearest parent holding a {@code docs} folder and a {@code pom.xml}). */
    public static Path projectRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("docs")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
