package fusion.models.impact;

import fusion.models.data.Csv;
import fusion.models.data.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Adapters from the three reference files to the estimators' inputs. */
public final class ImpactData {

    /** The Spain-wide aggregate in the Basque file, which is not a donor region. */
    public static final String SPAIN = "Spain (Espana)";
    /** The treated region. */
    public static final String BASQUE = "Basque Country (Pais Vasco)";

    private ImpactData() {}

    /**
     * The CausalImpact simulated series: outcome {@code y} and one control {@code x1}.
     *
     * @param t        time labels (1..100)
     * @param y        outcome
     * @param controls {@code controls[t][0]} = x1
     */
    public record Series(int[] t, double[] y, double[][] controls) {}

    public static Series simulated(Path csv) {
        Table table = Csv.read(csv);
        double[] t = table.numbers("t");
        double[] x1 = table.numbers("x1");
        double[][] controls = new double[t.length][];
        for (int i = 0; i < t.length; i++) {
            controls[i] = new double[] {x1[i]};
        }
        return new Series(java.util.Arrays.stream(t).mapToInt(v -> (int) v).toArray(), table.numbers("y"), controls);
    }

    /** GDP per capita by region and year, without the Spain-wide aggregate. */
    public static SyntheticControl.Panel basque(Path csv) {
        Table table = Csv.read(csv);
        String[] region = table.strings("regionname");
        double[] year = table.numbers("year");
        double[] gdp = table.numbers("gdpcap");
        TreeSet<Integer> years = new TreeSet<>();
        Map<String, Map<Integer, Double>> byRegion = new LinkedHashMap<>();
        for (int i = 0; i < region.length; i++) {
            if (!region[i].equals(SPAIN)) {
                years.add((int) year[i]);
                byRegion.computeIfAbsent(region[i], r -> new LinkedHashMap<>()).put((int) year[i], gdp[i]);
            }
        }
        int[] times = years.stream().mapToInt(Integer::intValue).toArray();
        List<String> units = new ArrayList<>(byRegion.keySet());
        double[][] values = new double[units.size()][times.length];
        for (int u = 0; u < units.size(); u++) {
            for (int t = 0; t < times.length; t++) {
                Double v = byRegion.get(units.get(u)).get(times[t]);
                if (v == null || v.isNaN()) {
                    throw new IllegalArgumentException("gdpcap missing for " + units.get(u) + " in " + times[t]);
                }
                values[u][t] = v;
            }
        }
        return new SyntheticControl.Panel(units, times, values);
    }

    /**
     * Card &amp; Krueger store-waves with a full-time-equivalent count; rows with {@code fte} NA
     * are dropped. Treated = New Jersey, post = the second wave, cluster = store id.
     */
    public static List<DifferenceInDifferences.Observation> cardKrueger(Path csv) {
        Table table = Csv.read(csv);
        String[] id = table.strings("id");
        double[] nj = table.numbers("nj");
        double[] d = table.numbers("d");
        double[] fte = table.numbers("fte");
        List<DifferenceInDifferences.Observation> out = new ArrayList<>();
        for (int i = 0; i < id.length; i++) {
            if (!Double.isNaN(fte[i])) {
                out.add(new DifferenceInDifferences.Observation(id[i], nj[i] == 1, d[i] == 1, fte[i]));
            }
        }
        return out;
    }
}
