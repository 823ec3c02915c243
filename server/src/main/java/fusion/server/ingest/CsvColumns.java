package fusion.server.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.model.InvalidInput;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * How the columns of a CSV file become the fields of a Segment call: a list of
 * {@code field=column} pairs separated by commas, where a field is one of the call's own fields
 * ({@code userId}, {@code event}, {@code timestamp}, ...) or a path inside {@code properties},
 * {@code traits} or {@code context} ({@code properties.revenue}), and a column may end in
 * {@code :number}, {@code :integer} or {@code :boolean} (CSV cells are text; the plan of properties
 * is typed). Example: {@code userId=customer,event=action,timestamp=at,properties.revenue=amount:number}.
 * Without a {@code type} column every row is a {@code track} call. An empty cell leaves its field out.
 */
public record CsvColumns(List<Column> columns) {
    static final Set<String> TOP = Set.of(
            "type",
            "messageId",
            "userId",
            "anonymousId",
            "event",
            "name",
            "groupId",
            "previousId",
            "timestamp",
            "originalTimestamp",
            "sentAt");
    static final Set<String> NESTED = Set.of("properties", "traits", "context");

    /** What a cell holds. */
    public enum Kind {
        STRING,
        NUMBER,
        INTEGER,
        BOOLEAN
    }

    /** One field filled from one column. */
    public record Column(String field, String column, Kind kind) {}

    public CsvColumns {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) throw new InvalidInput("--columns", "names no column");
    }

    /** Reads {@code field=column[:kind],...}; a refusal names the pair and says what is accepted. */
    public static CsvColumns parse(String spec) {
        List<Column> out = new ArrayList<>();
        for (String pair : spec.split(",")) {
            String p = pair.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new InvalidInput("--columns", "expected field=column but was '" + p + "'");
            }
            String field = p.substring(0, eq).trim();
            String column = p.substring(eq + 1).trim();
            Kind kind = Kind.STRING;
            int colon = column.lastIndexOf(':');
            if (colon > 0) {
                String k = column.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
                try {
                    kind = Kind.valueOf(k);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInput(
                            "--columns",
                            "'" + p + "': expected a kind of string, number, integer or boolean after ':'");
                }
                column = column.substring(0, colon).trim();
            }
            int dot = field.indexOf('.');
            boolean ok = dot < 0
                    ? TOP.contains(field)
                    : NESTED.contains(field.substring(0, dot)) && !field.endsWith(".") && !field.contains("..");
            if (!ok) {
                throw new InvalidInput(
                        "--columns",
                        "'" + field + "' is not a field of a call: expected one of " + new java.util.TreeSet<>(TOP)
                                + " or a path inside properties, traits or context (properties.revenue)");
            }
            if (dot < 0 && kind != Kind.STRING) {
                throw new InvalidInput(
                        "--columns", "'" + p + "': a call's own fields are text; only nested ones are typed");
            }
            out.add(new Column(field, column, kind));
        }
        return new CsvColumns(out);
    }

    /** Refuses a mapping that names a column the header lacks, listing the header. */
    void within(List<String> header) {
        for (Column c : columns) {
            if (!header.contains(c.column())) {
                throw new InvalidInput(
                        "--columns", "names the column '" + c.column() + "', which the file's header lacks: " + header);
            }
        }
    }

    /** One row as a call's JSON object; {@code cell} gives a column's text. */
    ObjectNode node(Function<String, String> cell) {
        ObjectNode call = JsonNodeFactory.instance.objectNode();
        call.put("type", "track");
        for (Column c : columns) {
            String v = cell.apply(c.column());
            if (v == null || v.isEmpty()) continue;
            String[] path = c.field().split("\\.");
            ObjectNode at = call;
            for (int i = 0; i < path.length - 1; i++) at = at.withObjectProperty(path[i]);
            String leaf = path[path.length - 1];
            switch (c.kind()) {
                case STRING -> at.put(leaf, v);
                case NUMBER -> at.put(leaf, number(c, v));
                case INTEGER -> {
                    BigDecimal n = number(c, v);
                    try {
                        at.put(leaf, n.toBigIntegerExact());
                    } catch (ArithmeticException e) {
                        throw new InvalidInput(
                                c.field(), "expected a whole number but was '" + v + "' (column " + c.column() + ")");
                    }
                }
                case BOOLEAN -> {
                    String b = v.trim().toLowerCase(Locale.ROOT);
                    if (!b.equals("true") && !b.equals("false")) {
                        throw new InvalidInput(
                                c.field(), "expected true or false but was '" + v + "' (column " + c.column() + ")");
                    }
                    at.put(leaf, b.equals("true"));
                }
            }
        }
        return call;
    }

    private static BigDecimal number(Column c, String v) {
        try {
            return new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput(
                    c.field(),
                    "expected a number but was '" + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "' (column "
                            + c.column() + ")");
        }
    }
}
