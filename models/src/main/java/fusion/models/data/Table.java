package fusion.models.data;

import java.util.List;

/**
 * A CSV file read into memory: column names and rows of raw strings (quotes removed).
 *
 * @param columns the header, in file order
 * @param rows    one array per data line, each as long as {@code columns}
 */
public record Table(List<String> columns, List<String[]> rows) {

    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != columns.size()) {
                throw new IllegalArgumentException(
                        "row " + (i + 1) + ": expected " + columns.size() + " fields but was " + rows.get(i).length);
            }
        }
    }

    /** Index of a column by name; throws naming the missing column and the ones present. */
    public int index(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("column '" + column + "' not in " + columns);
        }
        return i;
    }

    /** The raw strings of one column. */
    public String[] strings(String column) {
        int i = index(column);
        return rows.stream().map(r -> r[i]).toArray(String[]::new);
    }

    /**
     * The values of one numeric column; empty strings and {@code NA} become {@code NaN} so callers
     * decide explicitly how to treat missing values.
     */
    public double[] numbers(String column) {
        int i = index(column);
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = parse(rows.get(r)[i], column, r);
        }
        return out;
    }

    private static double parse(String s, String column, int row) {
        String t = s.trim();
        if (t.isEmpty() || t.equals("NA")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    column + ": expected a number but was '" + s + "' at data row " + (row + 1), e);
        }
    }
}
