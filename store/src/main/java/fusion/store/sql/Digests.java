package fusion.store.sql;

import fusion.store.StateDigest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Field-by-field fingerprints of the derived tables (and the log itself), in key order. Sequence
 * numbers (an event's {@code seq} and the columns that point at one, a ledger entry's {@code seq})
 * are fingerprinted by their rank, not their value: two stores agree when their logs and ledgers
 * are in the same order and every reference points at the same event, whatever gaps an erasure
 * left in the numbering ({@link TargetedErasure} deletes rows in place and renumbers nothing).
 */
final class Digests {
    /** Table name and the ORDER BY that makes its row order canonical. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("events", "seq");
        TABLES.put("identities", "identity");
        TABLES.put("profiles", "id");
        TABLES.put("merges", "event_seq, survivor, absorbed, reason");
        TABLES.put("brands", "id");
        TABLES.put("relationships", "party, brand");
        TABLES.put("ledger", "seq");
        TABLES.put("unknown_events", "name");
        TABLES.put("consents", "event_seq, position");
    }

    /** The columns holding a sequence number: table to column to the table it numbers. */
    private static final Map<String, Map<String, String>> SEQUENCES = Map.of(
            "events", Map.of("seq", "events"),
            "identities", Map.of("first_seq", "events"),
            "merges", Map.of("event_seq", "events"),
            "brands", Map.of("first_seq", "events"),
            "consents", Map.of("event_seq", "events"),
            "ledger", Map.of("seq", "ledger"));

    private Digests() {}

    static StateDigest of(Connection c) throws SQLException {
        Map<String, long[]> numbered = Map.of("events", seqs(c, "events"), "ledger", seqs(c, "ledger"));
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> sha = new LinkedHashMap<>();
        for (var t : TABLES.entrySet()) {
            MessageDigest md = sha256();
            long n = 0;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT * FROM " + t.getKey() + " ORDER BY " + t.getValue())) {
                ResultSetMetaData meta = rs.getMetaData();
                long[][] ranks = new long[meta.getColumnCount() + 1][];
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String numbers = SEQUENCES
                            .getOrDefault(t.getKey(), Map.of())
                            .get(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                    if (numbers != null) ranks[i] = numbered.get(numbers);
                }
                while (rs.next()) {
                    n++;
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object v = ranks[i] == null ? rs.getObject(i) : rank(ranks[i], rs.getLong(i));
                        String field = v instanceof Double d
                                ? Long.toHexString(Double.doubleToRawLongBits(d))
                                : v instanceof byte[] bytes
                                        ? HexFormat.of().formatHex(bytes)
                                        : v == null ? "\u0000null" : v.toString();
                        md.update(field.getBytes(StandardCharsets.UTF_8));
                        md.update((byte) 0x1f);
                    }
                    md.update((byte) 0x1e);
                }
            }
            rows.put(t.getKey(), n);
            sha.put(t.getKey(), HexFormat.of().formatHex(md.digest()));
        }
        return new StateDigest(rows, sha);
    }

    private static long[] seqs(Connection c, String table) throws SQLException {
        long[] out = new long[1024];
        int n = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq FROM " + table + " ORDER BY seq")) {
            while (rs.next()) {
                if (n == out.length) out = java.util.Arrays.copyOf(out, n * 2);
                out[n++] = rs.getLong(1);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The 1-based rank of {@code seq} among {@code sorted}; a number that is not there stays visible as such. */
    private static String rank(long[] sorted, long seq) {
        int i = java.util.Arrays.binarySearch(sorted, seq);
        return i < 0 ? "missing " + seq : Long.toString(i + 1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
