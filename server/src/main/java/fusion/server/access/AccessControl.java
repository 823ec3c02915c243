package fusion.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fusion.core.model.InvalidInput;
import fusion.store.Access;
import fusion.store.Access.Credential;
import fusion.store.Access.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may write and who may read. Two kinds of secret:
 * <ul>
 *   <li>write keys, one per source (the web site, the shop's POS, the call centre), that send
 *       events; the bootstrap key from {@code FUSION_WRITE_KEY} or {@code secrets.properties} is
 *       the source {@code default};</li>
 *   <li>API tokens with a {@link Role}; the bootstrap admin token is the admin {@code bootstrap}.</li>
 * </ul>
 * Issued secrets are shown once and stored as SHA-256 digests (they are 128-bit random values,
 * so a fast hash is enough: there is nothing to brute-force). A secret never appears in a log
 * line or an error.
 *
 * <p>Lookups are cached, and the cache is what makes revocation subtle. Two rules keep it to a
 * stated bound, {@link #CACHE_TTL}:
 * <ul>
 *   <li>every entry, found or not found, expires {@link #CACHE_TTL} after it was read from the
 *       store, so a revoke made by another server on the same database (which cannot clear this
 *       cache) takes effect here within that time;</li>
 *   <li>a revoke here clears the cache at once, and a lookup that read the store before the
 *       revoke committed cannot put its stale answer back afterwards: each lookup notes the
 *       revocation generation before it reads, and drops what it cached if the generation moved
 *       while it was reading.</li>
 * </ul>
 * A request that read the credential as active before the revoke committed is still answered;
 * every request that starts after {@link #revoke} returns is refused on this server.
 */
public final class AccessControl {
    /** How long a cached lookup is trusted: the bound on a revoke reaching another server. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(5);
    /** At most this many secrets, known or unknown, are cached; the least recently used go first. */
    static final int CACHE_SIZE = 10_000;

    /** What the store said about a hash: the credential, or empty when it holds none. */
    private record Found(Optional<Credential> credential) {}

    private final Credentials bootstrap;
    private final Access store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Found> cache;
    /** Moves on every revoke and issue, so a lookup can tell the store changed while it was reading. */
    private final AtomicLong generation = new AtomicLong();

    /** {@code clock} dates issues and revokes; the cache measures {@link #CACHE_TTL} on the system ticker. */
    public AccessControl(Credentials bootstrap, Access store, Clock clock) {
        this.bootstrap = bootstrap;
        this.store = store;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(CACHE_TTL)
                .maximumSize(CACHE_SIZE)
                .build();
    }

    /** The source a write key belongs to; 401 when it is missing, unknown or revoked. */
    public String source(Optional<String> presented) {
        if (presented.isEmpty()) {
            throw new Unauthorized("missing write key: send it as the Basic-auth user or as writeKey in the body");
        }
        if (bootstrap.isWriteKey(presented.get())) return "default";
        return lookup(presented.get(), Kind.WRITE)
                .map(Credential::name)
                .orElseThrow(() -> new Unauthorized("unknown write key"));
    }

    /** The caller of an {@code Authorization: Bearer} header; 401 when it is missing, unknown or revoked. */
    public Principal principal(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("missing API token: send 'Authorization: Bearer <token>'");
        }
        String token = authorization.substring(7).trim();
        if (bootstrap.isAdminToken(token)) return new Principal("bootstrap", "bootstrap admin", Role.ADMIN);
        Credential c = lookup(token, Kind.TOKEN).orElseThrow(() -> new Unauthorized("wrong API token"));
        return new Principal(c.id(), c.name(), Role.parse("role", c.role()));
    }

    private Optional<Credential> lookup(String secret, Kind kind) {
        String hash = hash(secret);
        Found found = cache.getIfPresent(hash);
        if (found == null) {
            long before = generation.get();
            found = new Found(store.credentialByHash(hash));
            cache.put(hash, found);
            // a revoke or issue that committed while we read may have cleared the cache before our
            // put: then what we read may be stale, so it must not stay (this request still uses it)
            if (generation.get() != before) cache.invalidate(hash);
        }
        return found.credential().filter(x -> x.kind() == kind && x.active());
    }

    /** An issued secret: shown once, never again. */
    public record Issued(String id, String kind, String name, String role, String secret, java.time.Instant created) {}

    /** A secret as listed: no hash, no secret. */
    public record Listed(
            String id, String kind, String name, String role, java.time.Instant created, java.time.Instant revoked) {}

    public Issued issueWriteKey(String source) {
        String name = requireName("source", source);
        if (name.equalsIgnoreCase("default")) {
            // the bootstrap key's source: events of an issued key would be told apart from it by nothing
            throw new InvalidInput("source", "'default' is the bootstrap write key's source; choose another name");
        }
        return issue(Kind.WRITE, name, "source", "wk_");
    }

    public Issued issueToken(String name, Role role) {
        return issue(Kind.TOKEN, requireName("name", name), role.label(), "at_");
    }

    private Issued issue(Kind kind, String name, String role, String prefix) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String secret = prefix + HexFormat.of().formatHex(b);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String id = kind.label().charAt(0) + "_" + HexFormat.of().formatHex(idBytes);
        var now = clock.instant();
        store.addCredential(new Credential(id, kind, name, role, hash(secret), now, null));
        generation.incrementAndGet();
        cache.invalidateAll(); // a lookup of the new secret may have cached 'unknown' just now
        return new Issued(id, kind.label(), name, role, secret, now);
    }

    public List<Listed> list(Kind kind) {
        return store.credentials(kind).stream()
                .map(c -> new Listed(c.id(), c.kind().label(), c.name(), c.role(), c.created(), c.revoked()))
                .toList();
    }

    /**
     * Revokes: every request that starts after this returns gets 401 from this server, and from
     * any other server on the same store within {@link #CACHE_TTL}. False when no active one has
     * this id.
     */
    public boolean revoke(String id) {
        boolean done = store.revokeCredential(id, clock.instant());
        generation.incrementAndGet(); // after the commit: a lookup that started before it drops its answer
        cache.invalidateAll();
        return done;
    }

    private static String requireName(String field, String name) {
        if (name == null || name.isBlank()) throw new InvalidInput(field, "must not be empty");
        if (name.length() > 100) throw new InvalidInput(field, "must be at most 100 characters");
        return name.trim();
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
