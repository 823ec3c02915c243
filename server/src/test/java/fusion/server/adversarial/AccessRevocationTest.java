package fusion.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionConfig;
import fusion.server.FusionServer;
import fusion.server.access.AccessControl;
import fusion.server.access.Credentials;
import fusion.server.access.Principal;
import fusion.server.access.Role;
import fusion.server.access.Unauthorized;
import fusion.store.Access;
import fusion.store.Store;
import fusion.store.sql.PostgresServer;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation against the cache in front of the credentials table: the race between a lookup
 * and a revoke, and a revoke made through another server on the same store.
 */
class AccessRevocationTest {
    private static final Credentials BOOT = new Credentials("wk-boot", "admin-boot");
    /** The bound docs/SECURITY.md states for a revoke to reach every server. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private Store sqlite(String name) {
        Store s = SqlStore.sqlite(dir.resolve(name), FusionServer.pipeline(ModelConfig.defaults()));
        open.add(s);
        return s;
    }

    /** An HTTP server over {@code store}, as {@code ./fusion serve} runs one; stopped after the test. */
    private int serve(Store store) {
        FusionServer server = FusionServer.start(FusionConfig.of("127.0.0.1", 0, BOOT), StoreSeams.unowned(store));
        open.add(server);
        return server.port();
    }

    /**
     * The store's credentials, with a gate in the lookup: once armed, the next lookup reads the
     * store and then waits until released before it returns, so a revoke can commit in between.
     */
    private static final class GatedAccess implements Access {
        private final Access store;
        final CountDownLatch read = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean armed;

        GatedAccess(Access store) {
            this.store = store;
        }

        @Override
        public Optional<Credential> credentialByHash(String hash) {
            Optional<Credential> found = store.credentialByHash(hash);
            if (armed) {
                armed = false;
                read.countDown();
                try {
                    if (!release.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return found;
        }

        @Override
        public void addCredential(Credential c) {
            store.addCredential(c);
        }

        @Override
        public List<Credential> credentials(Access.Kind kind) {
            return store.credentials(kind);
        }

        @Override
        public boolean revokeCredential(String id, Instant at) {
            return store.revokeCredential(id, at);
        }

        @Override
        public void appendAudit(List<AuditEntry> entries) {
            store.appendAudit(entries);
        }

        @Override
        public void redactSubject(String subject, String replacement) {
            store.redactSubject(subject, replacement);
        }

        @Override
        public List<AuditEntry> audit(String actor, String subject, Instant since, Instant until, int limit) {
            return store.audit(actor, subject, since, until, limit);
        }
    }

    @Test
    @DisplayName("issue 12 item 9: a lookup that read the token as active just before the revoke committed "
            + "cannot put it back in the cache; the next request is refused")
    void aLookupInFlightDuringTheRevokeDoesNotResurrectTheToken() throws Exception {
        GatedAccess gated = new GatedAccess(sqlite("race").access());
        AccessControl access = new AccessControl(BOOT, gated, Clock.systemUTC());
        AccessControl.Issued token = access.issueToken("ana", Role.ANALYST);
        String header = "Bearer " + token.secret();

        gated.armed = true;
        Future<Principal> inFlight = pool.submit(() -> access.principal(header));
        assertThat(gated.read.await(10, TimeUnit.SECONDS))
                .as("the lookup read the store")
                .isTrue();
        assertThat(access.revoke(token.id())).isTrue();
        gated.release.countDown();

        // it read before the revoke, so it may be answered; what it read must not outlive it
        assertThat(inFlight.get(10, TimeUnit.SECONDS).id()).isEqualTo(token.id());
        assertThatThrownBy(() -> access.principal(header)).isInstanceOf(Unauthorized.class);
    }

    @Test
    @DisplayName("issue 12 item 9: a revoke through one server stops the token on a second server on the same "
            + "SQLite store within the 5 s cache bound")
    void aRevokeReachesAnotherServerOnTheSameSqliteStore() {
        Store store = sqlite("shared");
        revokeReachesTheOtherServer(serve(store), serve(store));
    }

    @Test
    @DisplayName("issue 12 item 9: a revoke through one server stops the token on a second server on the same "
            + "PostgreSQL database within the 5 s cache bound")
    void aRevokeReachesAnotherServerOnTheSamePostgresDatabase() {
        if (!PostgresServer.required()) {
            Assumptions.assumeTrue(PostgresServer.shared().isPresent(), "PostgreSQL is not installed");
        }
        var url = PostgresServer.shared().orElseThrow().newDatabase();
        Store one = SqlStore.postgres(url, FusionServer.pipeline(ModelConfig.defaults()), true);
        open.add(one);
        Store two = SqlStore.postgres(url, FusionServer.pipeline(ModelConfig.defaults()), false);
        open.add(two);
        revokeReachesTheOtherServer(serve(one), serve(two));
    }

    private void revokeReachesTheOtherServer(int portA, int portB) {
        AccessHttp a = new AccessHttp(portA);
        AccessHttp b = new AccessHttp(portB);
        var issued = a.call("POST", "/api/tokens", BOOT.adminToken(), "{\"name\":\"ana\",\"role\":\"analyst\"}");
        assertThat(issued.status()).isEqualTo(201);
        String secret = issued.json().get("secret").asText();
        String id = issued.json().get("id").asText();
        assertThat(b.call("GET", "/api/stats", secret, null).status())
                .as("server B has the token cached as active")
                .isEqualTo(200);

        assertThat(a.call("DELETE", "/api/tokens/" + id, BOOT.adminToken(), null)
                        .status())
                .isEqualTo(204);
        long revoked = System.nanoTime();
        assertThat(a.call("GET", "/api/stats", secret, null).status())
                .as("the revoking server, at once")
                .isEqualTo(401);

        // the bound is the cache's lifetime; allow one more second for the polls themselves
        long deadline = revoked + BOUND.plusSeconds(1).toNanos();
        int status;
        do {
            status = b.call("GET", "/api/stats", secret, null).status();
        } while (status == 200 && System.nanoTime() < deadline && pause());
        assertThat(status).as("server B, within %s of the revoke", BOUND).isEqualTo(401);
    }

    @Test
    @DisplayName("issue 12 item 9: across 12 revokes raced by 4 clients, no request started after the revoke "
            + "returned is answered 200")
    void noRequestStartedAfterARevokeIsServed() throws Exception {
        AccessHttp http = new AccessHttp(serve(sqlite("storm")));
        for (int round = 0; round < 12; round++) {
            var issued = http.call(
                    "POST", "/api/tokens", BOOT.adminToken(), "{\"name\":\"r" + round + "\",\"role\":\"analyst\"}");
            String secret = issued.json().get("secret").asText();
            String id = issued.json().get("id").asText();
            record Hit(long started, int status) {}
            CountDownLatch go = new CountDownLatch(1);
            long[] revokedAt = {Long.MAX_VALUE};
            List<Future<List<Hit>>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                clients.add(pool.submit(() -> {
                    List<Hit> hits = new ArrayList<>();
                    go.await();
                    long until = Long.MAX_VALUE;
                    while (System.nanoTime() < until) {
                        long started = System.nanoTime();
                        hits.add(new Hit(
                                started,
                                http.call("GET", "/api/stats", secret, null).status()));
                        synchronized (revokedAt) {
                            if (revokedAt[0] != Long.MAX_VALUE)
                                until = revokedAt[0] + Duration.ofMillis(50).toNanos();
                        }
                    }
                    return hits;
                }));
            }
            go.countDown();
            assertThat(http.call("DELETE", "/api/tokens/" + id, BOOT.adminToken(), null)
                            .status())
                    .isEqualTo(204);
            synchronized (revokedAt) {
                revokedAt[0] = System.nanoTime();
            }
            for (Future<List<Hit>> f : clients) {
                for (Hit h : f.get(30, TimeUnit.SECONDS)) {
                    if (h.started() > revokedAt[0]) {
                        assertThat(h.status())
                                .as("round %d: a request started after the revoke", round)
                                .isEqualTo(401);
                    }
                }
            }
            assertThat(http.call("GET", "/api/stats", secret, null).status()).isEqualTo(401);
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(50); // between polls of a deadline loop, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
