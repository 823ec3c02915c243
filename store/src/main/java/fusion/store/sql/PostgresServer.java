package fusion.store.sql;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throw-away PostgreSQL server for tests and for {@code ./fusion cluster-demo} when it is
 * given no {@code --store}: a cluster made with the system's binaries (Debian's
 * {@code postgresql} package, which .ci/run installs), on a free loopback port, shared by
 * everything in the JVM and removed when it exits. As root, the server runs as the
 * {@code postgres} user, since PostgreSQL refuses to run as root.
 */
public final class PostgresServer {
    private static PostgresServer shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The shared server, started on first use; empty when PostgreSQL is not installed. */
    public static synchronized Optional<PostgresServer> shared() {
        if (shared != null) return Optional.of(shared);
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) return Optional.empty();
        try {
            shared = start(bin.get());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("PostgreSQL is installed but would not start: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(shared::destroy, "postgres-test-server-stop"));
        return Optional.of(shared);
    }

    /** Whether tests needing PostgreSQL must run (in CI) rather than be skipped. */
    public static boolean required() {
        return System.getenv("CI") != null;
    }

    private static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Path::compareTo);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static PostgresServer start(Path bin) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("fusion-pg-");
        PostgresServer s = new PostgresServer(bin, dir, freePort(), root);
        if (root) s.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        s.run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        "fusion",
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--no-sync"),
                true);
        s.startServer();
        return s;
    }

    private void startServer() throws IOException, InterruptedException {
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-w",
                        "-t",
                        "60",
                        "-l",
                        dir.resolve("log").toString(),
                        "-o",
                        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200",
                        "start"),
                true);
    }

    /** Stops the server (a database outage); {@link #restart()} brings it back with its data. */
    public void stop() {
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-w",
                            "-m",
                            "immediate",
                            "stop"),
                    true);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot stop PostgreSQL: " + e.getMessage(), e);
        }
    }

    public void restart() {
        try {
            startServer();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot restart PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** A new, empty database on the server. */
    public StoreUrl newDatabase() {
        String name = "fusion_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "fusion", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
        }
        return StoreUrl.parse("postgresql://fusion@127.0.0.1:" + port + "/" + name);
    }

    private void destroy() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    private void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asServerUser && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
