package fusion.analytics.attribution;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds files of the shared reference data and the project root by walking up from the working directory. */
final class SharedData {

    private SharedData() {
    }

    /** {@code shared/data/<relative>} in the nearest ancestor that has it; skips the test if none. */
    static Path require(String relative) {
        Optional<Path> found = upwards(dir -> dir.resolve("shared/data").resolve(relative));
        assumeTrue(found.isPresent(), "reference data shared/data/" + relative
                + " not found above " + Path.of("").toAbsolutePath() + "; skipping");
        return found.get();
    }

    /** The project root: the nearest ancestor holding {@code docs/reports} and {@code analytics}. */
    static Path projectRoot() {
        return upwards(dir -> dir.resolve("analytics/pom.xml")).map(p -> p.getParent().getParent())
                .orElseThrow(() -> new IllegalStateException("no project root above " + Path.of("").toAbsolutePath()));
    }

    private static Optional<Path> upwards(java.util.function.Function<Path, Path> candidate) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = candidate.apply(dir);
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
