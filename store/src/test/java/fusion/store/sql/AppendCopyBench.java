package fusion.store.sql;

import fusion.core.engine.Contribution;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.store.Tx;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writer's cost of the append-only rows on PostgreSQL, by binary COPY against batched
 * INSERTs, alternating in one JVM: per event one log row (a body of 363 B, as the load driver's)
 * and one ledger row (two contributions), committed 500 events a transaction (or EVENTS_PER_COMMIT), on the writer's
 * thread, which here is this one; reports this thread's CPU per 1000 events (pgjdbc, encoding
 * and row building; not the server's). Usage: {@code AppendCopyBench [EVENTS ROUNDS EVENTS_PER_COMMIT]}; starts
 * the tests' throw-away PostgreSQL cluster ({@link PostgresServer}).
 */
public final class AppendCopyBench {
    private AppendCopyBench() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int perCommit = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        PostgresServer server = PostgresServer.shared().orElseThrow(() -> new IllegalStateException("no PostgreSQL"));
        Map<Boolean, List<Double>> cpu = new TreeMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (boolean copy : new boolean[] {false, true}) {
                double ms = run(server, events, copy, perCommit);
                System.out.printf(
                        "round %d%s: %-7s %6.2f ms CPU per 1000 events (writer thread)%n",
                        round, round == 0 ? " (warm-up, not counted)" : "", copy ? "COPY" : "INSERT", ms);
                if (round > 0) cpu.computeIfAbsent(copy, k -> new ArrayList<>()).add(ms);
            }
        }
        for (var e : cpu.entrySet()) {
            List<Double> v = new ArrayList<>(e.getValue());
            v.sort(null);
            System.out.printf(
                    "median of %d rounds: %-7s %6.2f ms CPU per 1000 events (writer thread), all %s%n",
                    v.size(), e.getKey() ? "COPY" : "INSERT", v.get(v.size() / 2), e.getValue());
        }
        server.stop();
    }

    private static double run(PostgresServer server, int events, boolean copy, int perCommit) throws Exception {
        StoreUrl url = server.newDatabase();
        SqlStore.migrate(url);
        ConnectionSource source = ConnectionSource.postgres(url, 1);
        Writer w = new Writer(source.open(), Dialect.POSTGRESQL, 1000, 1000);
        try {
            w.copyAt(copy ? 1 : Integer.MAX_VALUE);
            String body = "{\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":{\"brand\":\"glitter\","
                    + "\"revenue\":42}," + "\"context\":{\"x\":\"" + "y".repeat(250) + "\"}}";
            var threads = ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            Instant t0 = Instant.parse("2026-12-06T12:00:00Z");
            for (int i = 0; i < events; i++) {
                Instant t = t0.plusMillis(i);
                String party = "u" + (i % 2000);
                w.append(new Tx.LoggedEvent(
                        "m" + i, "track", "Order Completed", party, t, t, "glitter", "web", null, true, body));
                Relationship after = new Relationship(
                        party,
                        "glitter",
                        t.toEpochMilli(),
                        1.5,
                        0.25,
                        0.5,
                        0.125,
                        0.75,
                        2.0,
                        1.0,
                        0.5,
                        i,
                        42.0,
                        t0.toEpochMilli());
                w.addLedger(
                        new LedgerEntry(
                                party,
                                "glitter",
                                t,
                                "m" + i,
                                LedgerEntry.Kind.EVENT,
                                0.1 * (i % 7),
                                0.1 * (i % 7) + 0.3,
                                0.2,
                                0.25,
                                0.0,
                                List.of(
                                        new Contribution(
                                                "purchase", fusion.core.engine.Target.NEEDS_MET, 0.5, "bought"),
                                        new Contribution("revenue", fusion.core.engine.Target.BRAND_GIVES, 42, "42")),
                                "Order Completed"),
                        after);
                if ((i + 1) % perCommit == 0) w.commit();
            }
            w.commit();
            return (threads.getCurrentThreadCpuTime() - start) / 1e6 / (events / 1000.0);
        } finally {
            w.close();
            source.close();
        }
    }
}
