package fusion.models.churn;

import fusion.models.data.Csv;
import fusion.models.data.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Encodes the public telco churn file ({@code churn/telco_churn.csv}) as numeric features:
 * 0/1 columns as they are; tenure, monthly and total charges as numbers (a missing total charge,
 * which only occurs at tenure 0, becomes 0); every text column one-hot with its most common level
 * left out as the reference. The "no internet service" dummies repeat each other; the ridge penalty
 * of {@link ChurnModel} keeps that harmless.
 */
public final class TelcoChurn {

    static final List<String> BINARY =
            List.of("female", "senior_citizen", "partner", "dependents", "phone_service", "paperless_billing");
    static final List<String> NUMERIC = List.of("tenure", "monthly_charges", "total_charges");
    static final List<String> CATEGORICAL = List.of(
            "multiple_lines",
            "internet_service",
            "online_security",
            "online_backup",
            "device_protection",
            "tech_support",
            "streaming_tv",
            "streaming_movies",
            "contract",
            "payment_method");

    private TelcoChurn() {}

    /**
     * Encoded customers.
     *
     * @param features feature names, in vector order
     * @param rows     one feature vector per customer
     * @param churned  1 if the customer churned
     */
    public record Dataset(List<String> features, List<double[]> rows, int[] churned) {
        public Dataset {
            features = List.copyOf(features);
            rows = List.copyOf(rows);
            churned = churned.clone();
        }

        @Override
        public int[] churned() {
            return churned.clone();
        }
    }

    /** Reads and encodes the file. */
    public static Dataset load(Path csv) {
        Table t = Csv.read(csv);
        int n = t.rows().size();
        List<String> names = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        for (String c : BINARY) {
            names.add(c);
            columns.add(t.numbers(c));
        }
        for (String c : NUMERIC) {
            double[] v = t.numbers(c);
            for (int i = 0; i < n; i++) {
                v[i] = Double.isNaN(v[i]) ? 0 : v[i];
            }
            names.add(c);
            columns.add(v);
        }
        for (String c : CATEGORICAL) {
            String[] v = t.strings(c);
            String reference = mostCommon(v);
            for (String level : new TreeSet<>(List.of(v))) {
                if (!level.equals(reference)) {
                    double[] dummy = new double[n];
                    for (int i = 0; i < n; i++) {
                        dummy[i] = v[i].equals(level) ? 1 : 0;
                    }
                    names.add(c + "=" + level);
                    columns.add(dummy);
                }
            }
        }
        List<double[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] row = new double[names.size()];
            for (int j = 0; j < row.length; j++) {
                row[j] = columns.get(j)[i];
            }
            rows.add(row);
        }
        String[] label = t.strings("churn");
        int[] churned = new int[n];
        for (int i = 0; i < n; i++) {
            churned[i] = switch (label[i]) {
                case "Yes" -> 1;
                case "No" -> 0;
                default ->
                    throw new IllegalArgumentException(
                            "churn: expected Yes or No but was '" + label[i] + "' at data row " + (i + 1));
            };
        }
        return new Dataset(names, rows, churned);
    }

    private static String mostCommon(String[] values) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String v : values) {
            counts.merge(v, 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .max(java.util.Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }
}
