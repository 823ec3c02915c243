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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HexFormat;

/** Field-by-field fingerprints of the derived tables (and the log itself), in key order. */
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

    private Digests() {}

    static StateDigest of(Connection c) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> sha = new LinkedHashMap<>();
        for (var t : TABLES.entrySet()) {
            MessageDigest md = sha256();
            long n = 0;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM " + t.getKey() + " ORDER BY " + t.getValue())) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    n++;
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        String field = v instanceof Double d ? Long.toHexString(Double.doubleToRawLongBits(d))
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
