package fusion.server.cli;

import fusion.server.http.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * Where the write key and admin token come from: {@code FUSION_WRITE_KEY} and
 * {@code FUSION_ADMIN_TOKEN} when set; otherwise generated on first start, kept in the data
 * directory's {@code secrets.properties} (owner-only) and printed once so the user can copy them.
 */
final class Secrets {
    private Secrets() {}

    static Credentials load(Path dataDir, Map<String, String> env, PrintStream out) throws IOException {
        Path file = dataDir.resolve("secrets.properties");
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                saved.load(in);
            }
        }
        String write = env.get("FUSION_WRITE_KEY");
        String admin = env.get("FUSION_ADMIN_TOKEN");
        boolean generated = false;
        String writeFrom = blank(write) ? file.toAbsolutePath().toString() : "FUSION_WRITE_KEY";
        String adminFrom = blank(admin) ? file.toAbsolutePath().toString() : "FUSION_ADMIN_TOKEN";
        if (blank(write)) {
            write = saved.getProperty("write_key");
            if (blank(write)) {
                write = "wk_" + random();
                saved.setProperty("write_key", write);
                generated = true;
            }
        }
        if (blank(admin)) {
            admin = saved.getProperty("admin_token");
            if (blank(admin)) {
                admin = "at_" + random();
                saved.setProperty("admin_token", admin);
                generated = true;
            }
        }
        if (generated) {
            Files.createDirectories(dataDir);
            try (OutputStream o = Files.newOutputStream(file)) {
                saved.store(o, "Fusion secrets, generated because FUSION_WRITE_KEY / FUSION_ADMIN_TOKEN were unset");
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the file keeps the directory's permissions
            }
            out.println("Generated credentials (kept in " + file + "):");
        } else {
            out.println("Credentials:");
        }
        out.println("  write key    " + write + (env.containsKey("FUSION_WRITE_KEY") ? "  (from FUSION_WRITE_KEY)" : ""));
        out.println("  admin token  " + admin + (env.containsKey("FUSION_ADMIN_TOKEN") ? "  (from FUSION_ADMIN_TOKEN)" : ""));
        return new Credentials(write, admin, writeFrom, adminFrom);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String random() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
