package fusion.store.sql;

import fusion.store.StoreFailure;
import fusion.store.StoreInUse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock on a data directory: an OS file lock ({@link FileChannel#tryLock}) on
 * {@code DIR/.lock}, which holds the holder's pid as text. The OS drops the lock when the holder
 * exits, even after {@code kill -9}, so a stale file never blocks a start; the file itself is
 * left in place (deleting it would let a second process lock a fresh inode while the first still
 * holds the old one).
 *
 * <p>POSIX record locks belong to the process, and closing any descriptor of the file releases
 * them all; so within this JVM the set {@link #HELD} answers first, and a holder never opens the
 * file a second time.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE = ".lock";
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private DataDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (which must exist) or throws {@link StoreInUse} naming the holder's pid. */
    static DataDirLock acquire(Path dir) {
        Path file;
        try {
            file = dir.toRealPath().resolve(FILE);
        } catch (IOException e) {
            throw new StoreFailure("cannot resolve the data directory " + dir.toAbsolutePath(), e);
        }
        if (!HELD.add(file))
            throw new StoreInUse(
                    file.getParent(), OptionalLong.of(ProcessHandle.current().pid()));
        FileChannel channel = null;
        try {
            OwnerOnly.createFile(file); // the pid is nobody else's business either
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                channel = null;
                throw new StoreInUse(file.getParent(), holder(file));
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(true);
            return new DataDirLock(file, channel, lock);
        } catch (IOException | OverlappingFileLockException | StoreInUse e) {
            HELD.remove(file);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was locked through it
                }
            }
            if (e instanceof StoreInUse u) throw u;
            if (e instanceof OverlappingFileLockException) {
                throw new StoreInUse(
                        file.getParent(),
                        OptionalLong.of(ProcessHandle.current().pid()));
            }
            throw new StoreFailure("cannot lock the data directory " + file.getParent(), e);
        }
    }

    /** The pid another process wrote in the lock file, if it is there yet. */
    private static OptionalLong holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        if (!released.compareAndSet(false, true)) return;
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            HELD.remove(file);
        }
    }
}
