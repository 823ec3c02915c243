package fusion.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code DATA/server.json}: how the commands find a running server. {@code serve} and
 * {@code demo} write it once they listen and delete it when they stop; it says where the server
 * answers, which process it is, and where its admin token is configured (never the token itself:
 * that stays in {@code secrets.properties}, owner-only, or in the server's environment).
 * A file whose process is gone (the server was killed) is ignored.
 *
 * @param url        where the server answers, e.g. {@code http://127.0.0.1:7070}
 * @param pid        the server's process id
 * @param data       the data directory, absolute
 * @param store      what it serves: the data directory, or a PostgreSQL URL without its password
 * @param adminToken where its bootstrap admin token is configured: {@code FUSION_ADMIN_TOKEN} or the secrets file
 * @param started    when it started
 */
record ServerFile(String url, long pid, String data, String store, String adminToken, Instant started) {
    static final String NAME = "server.json";
    /** The default data directories, in the order the commands look at them: {@code serve}'s, then {@code demo}'s. */
    static final List<String> DEFAULT_DIRS = List.of("fusion-data", "fusion-demo");

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The URL a client on this machine reaches a server listening on {@code host} at. */
    static String url(String host, int port) {
        String h = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /** Announces this process's server in {@code dir} (owner-only; replaced atomically). */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, NAME, ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.write(tmp, JSON.writeValueAsBytes(this));
        try {
            Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code dir}'s file if it still announces this process (a later server's is left alone). */
    static void remove(Path dir) {
        try {
            Optional<ServerFile> f = read(dir);
            if (f.isPresent() && f.get().pid() == ProcessHandle.current().pid())
                Files.deleteIfExists(dir.resolve(NAME));
        } catch (IOException ignored) {
            // going down anyway; a stale file is ignored once this process is gone
        }
    }

    /** The server {@code dir} announces, when its process is still alive. */
    static Optional<ServerFile> running(Path dir) {
        return read(dir)
                .filter(f ->
                        ProcessHandle.of(f.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    private static Optional<ServerFile> read(Path dir) {
        Path file = dir.resolve(NAME);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(file.toFile(), ServerFile.class));
        } catch (IOException e) {
            return Optional.empty(); // half-written or foreign: as if there were none
        }
    }

    /**
     * The data directory a command works on when it was given no {@code --data}: the default
     * directory (under {@code cwd}) that a running server announces; {@code ./fusion-data} when
     * none does, or {@code ./fusion-demo} when only that one holds a store. Two running servers
     * are a question only the user can answer.
     */
    static Path defaultDir(Path cwd) throws NoDefault {
        List<Path> live = new ArrayList<>();
        for (String d : DEFAULT_DIRS) {
            if (running(cwd.resolve(d)).isPresent()) live.add(cwd.resolve(d));
        }
        if (live.size() == 1) return live.get(0);
        if (live.size() > 1) {
            throw new NoDefault("servers are running on both " + live.get(0) + " (" + describe(live.get(0)) + ") and "
                    + live.get(1) + " (" + describe(live.get(1)) + "): pass --data to say which");
        }
        Path data = cwd.resolve(DEFAULT_DIRS.get(0));
        Path demo = cwd.resolve(DEFAULT_DIRS.get(1));
        if (!Files.exists(data.resolve("fusion.db")) && Files.exists(demo.resolve("fusion.db"))) return demo;
        return data;
    }

    private static String describe(Path dir) {
        return running(dir).map(f -> "pid " + f.pid() + ", " + f.url()).orElse("stopped");
    }

    /** No default data directory can be chosen; the message says why and what to pass. */
    static final class NoDefault extends IOException {
        NoDefault(String message) {
            super(message);
        }
    }
}
