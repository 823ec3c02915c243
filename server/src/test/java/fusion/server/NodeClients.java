package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Node SDKs in {@code server/src/test/node}, installed by {@code npm ci --prefix
 * server/src/test/node}. CI installs them and requires their tests (set {@code CI} or
 * {@code FUSION_REQUIRE_NODE_CLIENTS}); elsewhere a test without them is skipped, saying how to run it.
 */
final class NodeClients {
    static final Path DIR = Path.of("src/test/node").toAbsolutePath();

    private NodeClients() {}

    /** Skips the test unless the npm package is installed and node is on the path, or fails later if required. */
    static void assumeInstalled(String npmPackage) {
        boolean required = System.getenv("CI") != null || System.getenv("FUSION_REQUIRE_NODE_CLIENTS") != null;
        if (!required) {
            Assumptions.assumeTrue(
                    Files.isDirectory(DIR.resolve("node_modules").resolve(npmPackage)) && onPath("node"),
                    npmPackage + " is not installed: run npm ci --prefix server/src/test/node");
        }
    }

    /** What a script printed and how it ended. */
    record Result(int exit, String output) {}

    /** Runs {@code node script args...} in the clients' folder and waits for it (at most 60 s). */
    static Result run(String script, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "node";
        command[1] = script;
        System.arraycopy(args, 0, command, 2, args.length);
        Process node = new ProcessBuilder(command)
                .directory(DIR.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(node.waitFor(60, TimeUnit.SECONDS))
                .as(script + " ended within 60 s")
                .isTrue();
        return new Result(node.exitValue(), new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }
}
