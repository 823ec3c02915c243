package fusion.store.sql;

import org.junit.jupiter.api.Assumptions;

/** A fresh database on the test PostgreSQL server, for the tests of this package that need one. */
final class TestDatabases {
    private TestDatabases() {}

    /**
     * A new, empty database. Without PostgreSQL's binaries the test is skipped locally and fails in
     * CI ({@code CI} set), where {@code .ci/run} installs them.
     */
    static StoreUrl fresh() {
        var server = PostgresServer.shared();
        if (!PostgresServer.required()) {
            Assumptions.assumeTrue(server.isPresent(), "PostgreSQL is not installed (apt-get install postgresql)");
        }
        return server.orElseThrow(() -> new IllegalStateException("CI must have PostgreSQL: .ci/run installs it"))
                .newDatabase();
    }
}
