package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's error detail quotes the row a statement failed on ("Key (id)=(ana@example.com)
 * already exists"); pgjdbc puts it in the exception's message, which reaches logs and error
 * answers. Fusion's connections ask pgjdbc to leave it out (docs/SECURITY.md).
 */
class ServerErrorDetailTest {
    private static final String PERSON = "ana.example@mail.test";
    private static PostgresServer pg;

    @BeforeAll
    static void start() {
        var maybe = PostgresServer.shared();
        if (!PostgresServer.required()) Assumptions.assumeTrue(maybe.isPresent(), "PostgreSQL is not installed");
        pg = maybe.orElseThrow();
    }

    private static SQLException duplicate(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY)");
            s.execute("DELETE FROM people");
            s.execute("INSERT INTO people (id) VALUES ('" + PERSON + "')");
        }
        return catchThrowableOfType(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO people (id) VALUES ('" + PERSON + "')");
            }
        });
    }

    private static String everything(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) b.append(x).append('\n');
        return b.toString();
    }

    @Test
    @DisplayName("a unique violation on the writer's connection, the readers' pool and a plain connection of the "
            + "store's URL names the constraint, not the person's value")
    void aFailedStatementDoesNotQuoteTheRow() throws Exception {
        StoreUrl url = pg.newDatabase();
        // a witness that the server does send the detail: a connection without Fusion's properties
        try (Connection bare = DriverManager.getConnection(url.jdbc(), url.user(), url.password())) {
            assertThat(everything(duplicate(bare))).as("pgjdbc's default").contains(PERSON);
        }
        ConnectionSource source = ConnectionSource.postgres(url, 2);
        try (Connection writer = source.open();
                Connection plain = DriverManager.getConnection(url.jdbc(), url.properties())) {
            for (Connection c : new Connection[] {writer, plain}) {
                String message = everything(duplicate(c));
                assertThat(message).contains("people_pkey").doesNotContain(PERSON);
            }
        }
        Connection reader = source.borrow();
        try {
            reader.setReadOnly(false);
            String message = everything(duplicate(reader));
            assertThat(message).contains("people_pkey").doesNotContain(PERSON);
        } finally {
            source.giveBack(reader);
            source.close();
        }
    }
}
