package fusion.server.cli;

import fusion.server.access.Credentials;
import fusion.store.sql.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the write key and admin token come from: {@code FUSION_WRITE_KEY} and
 * {@code FUSION_ADMIN_TOKEN} when set; otherwise generated on first start and kept in the data
 * directory's {@code secrets.properties} (owner-only, {@code 0600}). The start banner prints a
 * secret's value only when it was generated just now, so the user can copy it once; otherwise it
 * names where the secret comes from (the variable or the file), so a terminal log or a shared
 * screen does not carry it.
 */
final class Secrets {
    private Secrets() {}

    /**
     * The credentials, and the admin token as the banner may show it: its value when generated
     * just now, else empty (the banner then names {@code tokenSource}).
     */
    record Loaded(Credentials credentials, Optional<String> shownToken, String tokenSource) {
        /** The dashboard's address with {@code params} (e.g. {@code profile=x}) in the fragment, signed in when the token may be shown. */
        String dashboard(String base, String params) {
            if (shownToken.isPresent()) {
                return base + "/#token=" + shownToken.get() + (params.isEmpty() ? "" : "&" + params);
            }
            return base + "/" + (params.isEmpty() ? "" : "#" + params);
        }

        /** The token for a {@code curl} example: its value when it may be shown, else where it is. */
        String bearer() {
            return shownToken.orElse("<admin token from " + tokenSource + ">");
        }
    }

    static Credentials load(Path dataDir, Map<String, String> env, PrintStream out) throws IOException {
        return open(dataDir, env, out).credentials();
    }

    static Loaded open(Path dataDir, Map<String, String> env, PrintStream out) throws IOException {
        Path file = dataDir.resolve("secrets.properties");
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                saved.load(in);
            }
        }
        String write = env.get("FUSION_WRITE_KEY");
        String admin = env.get("FUSION_ADMIN_TOKEN");
        String writeSource = "FUSION_WRITE_KEY";
        String adminSource = "FUSION_ADMIN_TOKEN";
        boolean writeGenerated = false;
        boolean adminGenerated = false;
        if (blank(write)) {
            writeSource = file.toAbsolutePath().toString();
            write = saved.getProperty("write_key");
            if (blank(write)) {
                write = "wk_" + random();
                saved.setProperty("write_key", write);
                writeGenerated = true;
            }
        }
        if (blank(admin)) {
            adminSource = file.toAbsolutePath().toString();
            admin = saved.getProperty("admin_token");
            if (blank(admin)) {
                admin = "at_" + random();
                saved.setProperty("admin_token", admin);
                adminGenerated = true;
            }
        }
        if (writeGenerated || adminGenerated) {
            OwnerOnly.createDirectories(dataDir);
            OwnerOnly.createFile(file); // owner-only before the first secret is written to it
            try (OutputStream o = Files.newOutputStream(file)) {
                saved.store(o, "Fusion secrets, generated because FUSION_WRITE_KEY / FUSION_ADMIN_TOKEN were unset");
            }
            out.println("Generated credentials (kept in " + file + "; shown this once):");
        } else {
            out.println("Credentials:");
        }
        out.println("  write key    " + (writeGenerated ? write : "from " + writeSource));
        out.println("  admin token  " + (adminGenerated ? admin : "from " + adminSource));
        return new Loaded(
                new Credentials(write, admin, writeSource, adminSource),
                adminGenerated ? Optional.of(admin) : Optional.empty(),
                adminSource);
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
