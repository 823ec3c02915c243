package fusion.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How long one small durable append takes on this disk while something else writes to it (issue
 * 18's read tail): the audit log's commit is such an append, one per read. Three ways, interleaved
 * in slices of one second so that they see the same background load:
 *
 * <ul>
 *   <li>{@code sqlite}: an INSERT and COMMIT into a WAL-mode SQLite file with synchronous=FULL
 *       (what audit.db does today; SQLite's unix VFS calls fsync);
 *   <li>{@code fsync-append}: 200 bytes appended to a growing file, then {@code force(true)}
 *       (fsync: the size and mtime change, so ext4 commits its journal);
 *   <li>{@code fdatasync-prealloc}: 200 bytes written inside a preallocated, already synced file,
 *       then {@code force(false)} (fdatasync: no metadata that a read needs changes).
 * </ul>
 *
 * {@code SyncLatencyProbe DIR SECONDS RATE} prints, per way, the count and p50/p99/max in ms.
 */
public final class SyncLatencyProbe {
    private SyncLatencyProbe() {}

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int seconds = Integer.parseInt(a[1]);
        int rate = Integer.parseInt(a[2]);
        byte[] entry = new byte[200];
        java.util.Arrays.fill(entry, (byte) 'x');
        Path grow = Files.createTempFile(dir, "probe-append", ".log");
        Path pre = Files.createTempFile(dir, "probe-prealloc", ".log");
        Path db = Files.createTempFile(dir, "probe", ".db");
        int slots = seconds * rate + 10;
        List<List<Double>> took = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (FileChannel g = FileChannel.open(grow, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                FileChannel p = FileChannel.open(pre, StandardOpenOption.WRITE);
                java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db)) {
            ByteBuffer zeros = ByteBuffer.allocate(slots * entry.length);
            while (zeros.hasRemaining()) p.write(zeros);
            p.force(true);
            try (var s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, at BIGINT, subject TEXT)");
            }
            c.setAutoCommit(false);
            var ins = c.prepareStatement("INSERT INTO audit (at, subject) VALUES (?, ?)");
            long gap = 1_000_000_000L / rate;
            long next = System.nanoTime();
            long end = next + seconds * 1_000_000_000L;
            int i = 0;
            while (System.nanoTime() < end) {
                long wait = next - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                next += gap;
                int way = (int) ((System.nanoTime() / 1_000_000_000L) % 3);
                long t0 = System.nanoTime();
                switch (way) {
                    case 0 -> {
                        ins.setLong(1, t0);
                        ins.setString(2, "u" + i);
                        ins.executeUpdate();
                        c.commit();
                    }
                    case 1 -> {
                        g.write(ByteBuffer.wrap(entry));
                        g.force(true);
                    }
                    default -> {
                        p.write(ByteBuffer.wrap(entry), (long) i * entry.length);
                        p.force(false);
                    }
                }
                took.get(way).add((System.nanoTime() - t0) / 1e6);
                i++;
            }
        } catch (IOException e) {
            throw e;
        } finally {
            Files.deleteIfExists(grow);
            Files.deleteIfExists(pre);
            for (String s : new String[] {"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(db + s));
        }
        String[] names = {"sqlite", "fsync-append", "fdatasync-prealloc"};
        for (int w = 0; w < 3; w++) {
            List<Double> v = took.get(w);
            Collections.sort(v);
            if (v.isEmpty()) continue;
            System.out.printf(
                    "%-19s %5d appends, p50 %6.2f ms, p99 %6.2f ms, max %7.2f ms%n",
                    names[w],
                    v.size(),
                    v.get(v.size() / 2),
                    v.get(Math.min(v.size() - 1, (int) (v.size() * 0.99))),
                    v.get(v.size() - 1));
        }
    }
}
