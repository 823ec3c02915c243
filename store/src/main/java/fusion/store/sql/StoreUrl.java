package fusion.store.sql;

import fusion.core.model.InvalidInput;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A PostgreSQL location as users write it: {@code postgresql://user:secret@host:5432/fusion}
 * (or {@code postgres://...}, or a {@code jdbc:postgresql://...} URL). The password never appears
 * in {@link #redacted()} or {@link #toString()}.
 */
public record StoreUrl(String host, int port, String database, String user, String password, String query) {

    public static StoreUrl parse(String text) {
        String t = text.startsWith("jdbc:") ? text.substring(5) : text;
        URI u;
        try {
            u = URI.create(t);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("store", "expected postgresql://user:password@host:port/database but was not a URL");
        }
        if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme())) {
            throw new InvalidInput("store", "expected a postgresql:// URL but the scheme was '" + u.getScheme() + "'");
        }
        if (u.getHost() == null) throw new InvalidInput("store", "the URL names no host");
        String db = u.getPath() == null || u.getPath().length() <= 1
                ? "postgres"
                : u.getPath().substring(1);
        String user = null;
        String password = null;
        if (u.getRawUserInfo() != null) {
            String[] parts = u.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        return new StoreUrl(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), db, user, password, u.getRawQuery());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    String jdbc() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
    }

    /**
     * The connection properties of every connection Fusion opens to this store. The server's
     * error detail is left out of exception messages: it quotes the row a statement failed on
     * (a person's id, say), and messages reach logs and error answers (docs/SECURITY.md).
     */
    Properties properties() {
        Properties p = new Properties();
        p.setProperty("logServerErrorDetail", "false");
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return p;
    }

    /** The URL without its password, for messages and logs. */
    public String redacted() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@") + host + ":" + port
                + "/" + database;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
