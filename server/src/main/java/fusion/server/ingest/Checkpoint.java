package fusion.server.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How far an import got: the last line whose fate is settled (imported durably, or refused), and
 * the counts up to it. Written beside the checkpoint file and moved over it after every committed
 * batch, so a crash leaves the previous checkpoint whole; a rerun continues after {@link #line}.
 * A batch committed but not yet checkpointed is sent again on the rerun and its calls are counted
 * as duplicates: messageIds keep the store exact.
 */
public record Checkpoint(String file, long line, ImportReport counts) {
    static Checkpoint start(Path file) {
        return new Checkpoint(file.toAbsolutePath().normalize().toString(), 0, ImportReport.EMPTY);
    }

    static java.util.Optional<Checkpoint> load(Path at) throws IOException {
        if (!Files.exists(at)) return java.util.Optional.empty();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(at)) {
            p.load(in);
        }
        try {
            TreeMap<String, Long> refused = new TreeMap<>();
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("refused."))
                    refused.put(k.substring("refused.".length()), Long.parseLong(p.getProperty(k)));
            }
            ImportReport counts = new ImportReport(
                    number(p, "lines"),
                    number(p, "accepted"),
                    number(p, "duplicates"),
                    number(p, "scored"),
                    number(p, "unknown"),
                    refused);
            return java.util.Optional.of(new Checkpoint(required(p, "file"), number(p, "line"), counts));
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "the checkpoint " + at + " is damaged (" + e.getMessage() + "); delete it or pass --restart");
        }
    }

    void save(Path at) throws IOException {
        Properties p = new Properties();
        p.setProperty("file", file);
        p.setProperty("line", Long.toString(line));
        p.setProperty("lines", Long.toString(counts.lines()));
        p.setProperty("accepted", Long.toString(counts.accepted()));
        p.setProperty("duplicates", Long.toString(counts.duplicates()));
        p.setProperty("scored", Long.toString(counts.scored()));
        p.setProperty("unknown", Long.toString(counts.unknown()));
        counts.refused().forEach((k, v) -> p.setProperty("refused." + k, Long.toString(v)));
        Path tmp = at.resolveSibling(at.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "fusion import: a rerun continues after this line");
        }
        Files.move(tmp, at, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("no " + key);
        return v;
    }

    private static long number(Properties p, String key) {
        return Long.parseLong(required(p, key).trim());
    }
}
