package fusion.server.access;

import fusion.core.model.InvalidInput;
import fusion.server.http.Credentials;
import fusion.server.http.Unauthorized;
import fusion.store.Access;
import fusion.store.Access.Credential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may write and who may read. Two kinds of secret:
 * <ul>
 *   <li>write keys, one per source (the web site, the shop's POS, the call centre), that send
 *       events; the bootstrap key from {@code FUSION_WRITE_KEY} or {@code secrets.properties} is
 *       the source {@code default};</li>
 *   <li>API tokens with a {@link Role}; the bootstrap admin token is the admin {@code bootstrap}.</li>
 * </ul>
 * Issued secrets are shown once and stored as SHA-256 digests (they are 128-bit random values,
 * so a fast hash is enough: there is nothing to brute-force). Lookups are cached; revoking clears
 * the cache. A secret never appears in a log line or an error.
 */
public final class AccessControl {
    public static final String WRITE = "write";
    public static final String TOKEN = "token";
    private static final int NEGATIVE_CACHE = 10_000;

    private final Credentials bootstrap;
    private final Access store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Credential> known = new ConcurrentHashMap<>();
    private final Map<String, Boolean> unknown = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > NEGATIVE_CACHE;
        }
    });

    public AccessControl(Credentials bootstrap, Access store, Clock clock) {
        this.bootstrap = bootstrap;
        this.store = store;
        this.clock = clock;
    }

    /** The source a write key belongs to; 401 when it is missing, unknown or revoked. */
    public String source(Optional<String> presented) {
        if (presented.isEmpty()) {
            throw new Unauthorized("missing write key: send it as the Basic-auth user or as writeKey in the body");
        }
        if (bootstrap.isWriteKey(presented.get())) return "default";
        return lookup(presented.get(), WRITE).map(Credential::name)
                .orElseThrow(() -> new Unauthorized("unknown write key"));
    }

    /** The caller of an {@code Authorization: Bearer} header; 401 when it is missing, unknown or revoked. */
    public Principal principal(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("missing API token: send 'Authorization: Bearer <token>'");
        }
        String token = authorization.substring(7).trim();
        if (bootstrap.isAdminToken(token)) return new Principal("bootstrap", "bootstrap admin", Role.ADMIN);
        Credential c = lookup(token, TOKEN).orElseThrow(() -> new Unauthorized("wrong API token"));
        return new Principal(c.id(), c.name(), Role.parse("role", c.role()));
    }

    private Optional<Credential> lookup(String secret, String kind) {
        String hash = hash(secret);
        Credential c = known.get(hash);
        if (c == null && !unknown.containsKey(hash)) {
            Optional<Credential> stored = store.credentialByHash(hash);
            if (stored.isPresent()) {
                c = stored.get();
                known.put(hash, c);
            } else {
                unknown.put(hash, Boolean.TRUE);
            }
        }
        return Optional.ofNullable(c).filter(x -> x.kind().equals(kind) && x.active());
    }

    /** An issued secret: shown once, never again. */
    public record Issued(String id, String kind, String name, String role, String secret, java.time.Instant created) {}

    /** A secret as listed: no hash, no secret. */
    public record Listed(String id, String kind, String name, String role, java.time.Instant created,
                         java.time.Instant revoked) {}

    public Issued issueWriteKey(String source) {
        String name = requireName("source", source);
        if (name.equalsIgnoreCase("default")) {
            // the bootstrap key's source: events of an issued key would be told apart from it by nothing
            throw new InvalidInput("source", "'default' is the bootstrap write key's source; choose another name");
        }
        return issue(WRITE, name, "source", "wk_");
    }

    public Issued issueToken(String name, Role role) {
        return issue(TOKEN, requireName("name", name), role.label(), "at_");
    }

    private Issued issue(String kind, String name, String role, String prefix) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String secret = prefix + HexFormat.of().formatHex(b);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String id = kind.charAt(0) + "_" + HexFormat.of().formatHex(idBytes);
        var now = clock.instant();
        store.addCredential(new Credential(id, kind, name, role, hash(secret), now, null));
        unknown.clear();
        return new Issued(id, kind, name, role, secret, now);
    }

    public List<Listed> list(String kind) {
        return store.credentials(kind).stream()
                .map(c -> new Listed(c.id(), c.kind(), c.name(), c.role(), c.created(), c.revoked()))
                .toList();
    }

    /** Revokes at once: the next request with it gets 401. False when no active one has this id. */
    public boolean revoke(String id) {
        boolean done = store.revokeCredential(id, clock.instant());
        known.clear();
        return done;
    }

    private static String requireName(String field, String name) {
        if (name == null || name.isBlank()) throw new InvalidInput(field, "must not be empty");
        if (name.length() > 100) throw new InvalidInput(field, "must be at most 100 characters");
        return name.trim();
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
