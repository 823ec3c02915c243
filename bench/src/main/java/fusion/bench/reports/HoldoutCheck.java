package fusion.bench.reports;

import fusion.models.btyd.BgNbd;
import fusion.models.btyd.Cdnow;
import fusion.models.btyd.CustomerHistory;
import fusion.models.btyd.ParetoNbd;
import fusion.models.btyd.Rfm;
import fusion.models.btyd.TransactionModel;
import java.util.List;
import java.util.Locale;

/** The holdout tables of {@link HoldoutReport}: totals, and FHL 2005 figure 4 by frequency. */
final class HoldoutCheck {
    private static final int TOP = 7;

    private HoldoutCheck() {}

    static void append(StringBuilder md, List<CustomerHistory> customers, BgNbd bg, ParetoNbd pn) {
        double t = Cdnow.HOLDOUT_WEEKS;
        double actual = 0;
        double[] conditional = new double[2];
        double[] unconditional = new double[2];
        int[] n = new int[TOP + 1];
        double[] actualBy = new double[TOP + 1];
        double[][] predictedBy = new double[2][TOP + 1];
        TransactionModel[] models = {bg, pn};
        for (CustomerHistory c : customers) {
            Rfm h = c.calibration();
            int bin = Math.min(h.frequency(), TOP);
            n[bin]++;
            actual += c.holdoutTransactions();
            actualBy[bin] += c.holdoutTransactions();
            for (int m = 0; m < 2; m++) {
                double e = models[m].conditionalExpectedTransactions(h, t);
                conditional[m] += e;
                predictedBy[m][bin] += e;
                unconditional[m] +=
                        models[m].expectedTransactions(h.age() + t) - models[m].expectedTransactions(h.age());
            }
        }
        md.append("## Holdout: total repeat purchases in weeks 40-78\n\n")
                .append("Conditional: the sum over customers of E[Y(39) | x, t_x, T]. Unconditional: the")
                .append(" sum of E[X(T + 39)] − E[X(T)], what the model fitted on calibration expects of")
                .append(" the cohort without using individual histories (the FHL 2005 tracking plot at")
                .append(" week 78).\n\n")
                .append("| | actual | BG/NBD | Pareto/NBD |\n|---|---:|---:|---:|\n")
                .append(String.format(
                        Locale.ROOT,
                        "| conditional on each history | %.0f | %.1f (%+.1f%%) |" + " %.1f (%+.1f%%) |%n",
                        actual,
                        conditional[0],
                        pct(conditional[0], actual),
                        conditional[1],
                        pct(conditional[1], actual)))
                .append(String.format(
                        Locale.ROOT,
                        "| unconditional, cohort | %.0f | %.1f (%+.1f%%) |" + " %.1f (%+.1f%%) |%n%n",
                        actual,
                        unconditional[0],
                        pct(unconditional[0], actual),
                        unconditional[1],
                        pct(unconditional[1], actual)));
        md.append("## Holdout by calibration frequency (FHL 2005, figure 4)\n\n")
                .append("Mean repeat purchases per customer in weeks 40-78, grouped by x in weeks")
                .append(" 1-39.\n\n")
                .append("| x | customers | actual | BG/NBD | Pareto/NBD |\n|---:|---:|---:|---:|---:|\n");
        for (int x = 0; x <= TOP; x++) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.3f | %.3f | %.3f |%n",
                    x == TOP ? TOP + "+" : Integer.toString(x),
                    n[x],
                    actualBy[x] / n[x],
                    predictedBy[0][x] / n[x],
                    predictedBy[1][x] / n[x]));
        }
        md.append('\n');
    }

    private static double pct(double predicted, double actual) {
        return 100 * (predicted - actual) / actual;
    }
}
