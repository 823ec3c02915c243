package fusion.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionServer;
import fusion.store.Access;
import fusion.store.Access.AuditEntry;
import fusion.store.sql.SqlStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's read tail: a read's audit entry is made durable by the request itself, with no hand-off
 * to another thread, and concurrent reads still share one commit. The entries go to a real SQLite
 * store; the wrapper only notes which thread wrote which batch (and can hold the first write).
 */
class AuditLogCallerWritesTest {
    @TempDir
    Path dir;

    /** The store's audit log, noting each batch's writer thread and size; the first write waits for {@code release}. */
    private static final class Noting implements Access {
        final Access real;
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release;

        Noting(Access real, CountDownLatch release) {
            this.real = real;
            this.release = release;
        }

        @Override
        public void appendAudit(List<AuditEntry> entries) {
            threads.add(Thread.currentThread().getName());
            sizes.add(entries.size());
            firstStarted.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            real.appendAudit(entries);
        }

        @Override
        public void addCredential(Credential c) {
            real.addCredential(c);
        }

        @Override
        public List<Credential> credentials(Kind kind) {
            return real.credentials(kind);
        }

        @Override
        public Optional<Credential> credentialByHash(String hash) {
            return real.credentialByHash(hash);
        }

        @Override
        public boolean revokeCredential(String id, Instant at) {
            return real.revokeCredential(id, at);
        }

        @Override
        public void redactSubject(String subject, String replacement) {
            real.redactSubject(subject, replacement);
        }

        @Override
        public List<AuditEntry> audit(String actor, String subject, Instant since, Instant until, int limit) {
            return real.audit(actor, subject, since, until, limit);
        }
    }

    private static AuditEntry read(String subject) {
        return new AuditEntry(0, Instant.now(), "analyst", "analyst", "read profile", subject, 200);
    }

    @Test
    @DisplayName("a read's audit entry is written and durable on the request's own thread before recordDurably returns")
    void theRequestWritesItsOwnEntry() {
        try (SqlStore store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            Noting noting = new Noting(store.access(), new CountDownLatch(0));
            AuditLog log = new AuditLog(noting);
            String me = Thread.currentThread().getName();
            log.recordDurably(read("u1"));
            assertThat(noting.threads).containsExactly(me);
            assertThat(store.access().audit(null, "u1", null, null, 10))
                    .extracting(AuditEntry::action, AuditEntry::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("read profile", 200));
            log.close();
        }
    }

    @Test
    @DisplayName("reads that queue while one is being written share one later commit: 9 reads, 2 batches")
    void concurrentReadsShareACommit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try (SqlStore store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            CountDownLatch release = new CountDownLatch(1);
            Noting noting = new Noting(store.access(), release);
            AuditLog log = new AuditLog(noting);
            Future<?> first = pool.submit(() -> log.recordDurably(read("u0")));
            assertThat(noting.firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> rest = new java.util.ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                String subject = "u" + i;
                rest.add(pool.submit(() -> log.recordDurably(read(subject))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> log.queued() == 8);
            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            for (Future<?> f : rest) f.get(30, TimeUnit.SECONDS);
            // the first batch held u0 alone; whoever took the lock next wrote the eight queued meanwhile
            assertThat(noting.sizes).containsExactly(1, 8);
            assertThat(store.access().audit("analyst", null, null, null, 100)).hasSize(9);
            log.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("sync writes the entries still queued, so an erasure that follows finds them in the store")
    void syncWritesWhatIsQueued() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SqlStore store = SqlStore.sqlite(dir, FusionServer.pipeline(ModelConfig.defaults()))) {
            CountDownLatch release = new CountDownLatch(1);
            Noting noting = new Noting(store.access(), release);
            AuditLog log = new AuditLog(noting);
            Future<?> first = pool.submit(() -> log.recordDurably(read("u0")));
            assertThat(noting.firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> second = pool.submit(() -> log.recordDurably(read("u1")));
            await().atMost(Duration.ofSeconds(30)).until(() -> log.queued() == 1);
            release.countDown();
            log.sync();
            assertThat(log.queued()).isZero();
            assertThat(store.access().audit(null, "u1", null, null, 10)).hasSize(1);
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
            log.close();
        } finally {
            pool.shutdownNow();
        }
    }
}
