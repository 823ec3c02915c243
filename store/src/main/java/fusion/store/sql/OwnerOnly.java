package fusion.store.sql;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold people's data or secrets are the owner's alone: the data directory is created
 * {@code 0700}, and the database, its {@code -wal} and {@code -shm}, and the secrets file
 * {@code 0600}. SQLite gives a new {@code -wal} and {@code -shm} the database file's mode, which
 * is why the database is created here, empty, before SQLite opens it. On a file system without
 * POSIX permissions (Windows) the files keep what the directory gives them.
 */
public final class OwnerOnly {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {}

    /** Creates {@code dir} and its missing parents; a directory created here is {@code 0700}. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            Files.createDirectory(dir, attribute(DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    /** Creates {@code file} empty and {@code 0600} if it is missing, else makes it {@code 0600}. */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, attribute(FILE));
        } catch (FileAlreadyExistsException e) {
            restrict(file);
        } catch (UnsupportedOperationException e) {
            if (!Files.exists(file)) Files.createFile(file);
        }
    }

    /** Makes {@code file} {@code 0600} if it exists. */
    public static void restrict(Path file) throws IOException {
        if (!Files.exists(file)) return;
        try {
            Files.setPosixFilePermissions(file, FILE);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> p) {
        return PosixFilePermissions.asFileAttribute(p);
    }
}
