package fusion.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The write key that sources send events with and the admin token that reads personal data.
 * Comparisons are constant-time; neither value is ever logged or echoed in an error.
 */
public record Credentials(String writeKey, String adminToken) {
    public Credentials {
        if (writeKey == null || writeKey.isBlank()) throw new IllegalArgumentException("write key must not be empty");
        if (adminToken == null || adminToken.isBlank()) throw new IllegalArgumentException("admin token must not be empty");
    }

    /**
     * The write key of a request: the Basic-auth user ({@code key:} or just {@code key}, as SDKs
     * differ), else the body's {@code writeKey}.
     */
    public void checkWriteKey(String authorization, Optional<String> bodyKey) {
        Optional<String> presented = basicUser(authorization).or(() -> bodyKey);
        if (presented.isEmpty()) {
            throw new Unauthorized("missing write key: send it as the Basic-auth user or as writeKey in the body");
        }
        if (!same(presented.get(), writeKey)) {
            throw new Unauthorized("unknown write key");
        }
    }

    public void checkAdmin(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("missing admin token: send 'Authorization: Bearer <token>'");
        }
        if (!same(authorization.substring(7).trim(), adminToken)) {
            throw new Unauthorized("wrong admin token");
        }
    }

    static Optional<String> basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Unauthorized("malformed Basic authorization header");
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        return user.isEmpty() ? Optional.empty() : Optional.of(user);
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[redacted]";
    }
}
