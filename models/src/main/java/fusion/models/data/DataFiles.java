package fusion.models.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one locator of the reference data sets that tests, reports and benchmarks read. Order: the
 * {@code fusion.data} system property, then the {@code FUSION_DATA} environment variable (either
 * names a folder laid out like the repository's {@code datasets/}), then the {@code datasets} folder
 * of the repository, found by walking up from the working directory to the nearest folder holding
 * both {@code pom.xml} and {@code datasets/}. A clone of the repository therefore finds its own data
 * from any module directory; nothing outside the clone is needed.
 */
public final class DataFiles {

    /** The folder name of the committed data sets at the repository root. */
    static final String FOLDER = "datasets";

    private DataFiles() {}

    /** The data folder in force. */
    public static Path root() {
        String configured = System.getProperty("fusion.data");
        String source = "-Dfusion.data";
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("FUSION_DATA");
            source = "FUSION_DATA";
        }
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(source + " names " + dir.toAbsolutePath()
                        + ", which is not a folder; point it at a folder laid out like the repository's "
                        + FOLDER + "/ or unset it to use that one");
            }
            return dir;
        }
        return repositoryData()
                .orElseThrow(() -> new IllegalStateException("no " + FOLDER
                        + "/ folder beside a pom.xml in " + Path.of("").toAbsolutePath()
                        + " or any parent; run from inside the repository or set FUSION_DATA (or -Dfusion.data)"));
    }

    /** A file under the data folder; throws naming the file and the folder when it is missing. */
    public static Path resolve(String relative) {
        Path root = root();
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("data file " + relative + " missing under " + root.toAbsolutePath());
        }
        return file;
    }

    /** The repository root: the nearest folder at or above the working directory holding {@code pom.xml} and {@code datasets/}. */
    public static Path projectRoot() {
        return repositoryData()
                .map(Path::getParent)
                .orElseThrow(() -> new IllegalStateException("no repository root (a folder holding pom.xml and "
                        + FOLDER + "/) at or above " + Path.of("").toAbsolutePath()));
    }

    private static Optional<Path> repositoryData() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve(FOLDER);
            if (Files.isDirectory(candidate) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
