package fusion.store;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Another process (or another store in this one) already holds the embedded store's data
 * directory for writing: two writers on one directory would corrupt each other's service, so the
 * second refuses to open. Names the directory and, when it could be read, the holder's pid.
 */
public final class StoreInUse extends RuntimeException {
    private final Path directory;
    private final OptionalLong pid;

    public StoreInUse(Path directory, OptionalLong pid) {
        super("the data directory " + directory + " is in use by "
                + (pid.isPresent() ? "another Fusion process (pid " + pid.getAsLong() + ")" : "another Fusion process")
                + "; stop it first, or use another --data directory");
        this.directory = directory;
        this.pid = pid;
    }

    public Path directory() {
        return directory;
    }

    /** The holder's process id, as it wrote it in the lock file; empty if it could not be read. */
    public OptionalLong pid() {
        return pid;
    }
}
