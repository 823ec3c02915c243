package fusion.server.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The bootstrap secrets: the write key of the {@code default} source and the first admin token
 * (more are issued through {@link AccessControl}), and where each was
 * configured ({@code FUSION_WRITE_KEY}, a {@code secrets.properties} file...), which the key and
 * token listings show in place of the secret.
 * Comparisons are constant-time; neither value is ever logged or echoed in an error.
 */
public record Credentials(String writeKey, String adminToken, String writeKeyFrom, String adminTokenFrom) {
    /** Where secrets handed to the server in code, not read from the environment or a file, come from. */
    public static final String GIVEN = "the server's start-up configuration";

    public Credentials {
        if (writeKey == null || writeKey.isBlank()) throw new IllegalArgumentException("write key must not be empty");
        if (adminToken == null || adminToken.isBlank())
            throw new IllegalArgumentException("admin token must not be empty");
        if (writeKeyFrom == null || writeKeyFrom.isBlank()) writeKeyFrom = GIVEN;
        if (adminTokenFrom == null || adminTokenFrom.isBlank()) adminTokenFrom = GIVEN;
    }

    public Credentials(String writeKey, String adminToken) {
        this(writeKey, adminToken, GIVEN, GIVEN);
    }

    public boolean isWriteKey(String presented) {
        return same(presented, writeKey);
    }

    public boolean isAdminToken(String presented) {
        return same(presented, adminToken);
    }

    public static Optional<String> basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
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
