package fusion.bench.reports;

import fusion.models.btyd.BgNbd;
import fusion.models.btyd.Cdnow;
import fusion.models.btyd.CustomerHistory;
import fusion.models.btyd.Fitted;
import fusion.models.btyd.GammaGamma;
import fusion.models.btyd.Rfm;
import fusion.models.btyd.Valuation;
import fusion.models.data.DataFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The scale run behind {@code bench/run-cdnow-master.sh}: load the full CDNOW cohort (23,570
 * customers), fit BG/NBD and gamma-gamma, and value every customer (P(alive), purchases expected in
 * 52 weeks, 52-week CLV at 15% a year), timing each stage. Scoring runs twice: the first pass
 * includes JIT warm-up, the second is the steady rate. Prints {@code key: value} lines.
 */
public final class CdnowMasterRun {
    private CdnowMasterRun() {}

    public static void main(String[] args) {
        Path file = args.length > 0 ? Path.of(args[0]) : DataFiles.resolve("cdnow/CDNOW_master.txt");
        long t0 = System.nanoTime();
        List<CustomerHistory> customers = Cdnow.load(file);
        long t1 = System.nanoTime();
        List<Rfm> histories =
                customers.stream().map(CustomerHistory::calibration).toList();
        Fitted<BgNbd> bg = BgNbd.fit(histories);
        long t2 = System.nanoTime();
        Fitted<GammaGamma> gg = GammaGamma.fit(customers.stream()
                .map(CustomerHistory::spend)
                .flatMap(Optional::stream)
                .toList());
        long t3 = System.nanoTime();
        Valuation valuation = new Valuation(bg.model(), gg.model(), 52, 0.15);
        double[] first = score(customers, valuation);
        long t4 = System.nanoTime();
        double[] second = score(customers, valuation);
        long t5 = System.nanoTime();

        double holdoutActual = customers.stream()
                .mapToInt(CustomerHistory::holdoutTransactions)
                .sum();
        double holdoutPredicted = histories.stream()
                .mapToDouble(h -> bg.model().conditionalExpectedTransactions(h, Cdnow.HOLDOUT_WEEKS))
                .sum();
        int n = customers.size();
        BgNbd m = bg.model();
        print("customers", "%d (%d with repeat purchases)", n, gg.customers());
        print("bgnbd", "r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.1f", m.r(), m.alpha(), m.a(), m.b(), bg.logLikelihood());
        print(
                "gamma-gamma",
                "p=%.4f q=%.4f gamma=%.4f",
                gg.model().p(),
                gg.model().q(),
                gg.model().gamma());
        print("load", "%.3f s", seconds(t0, t1));
        print("fit bgnbd", "%.3f s", seconds(t1, t2));
        print("fit gamma-gamma", "%.3f s", seconds(t2, t3));
        print("score, first pass", "%.3f s (%.0f customers/s)", seconds(t3, t4), n / seconds(t3, t4));
        print("score, second pass", "%.3f s (%.0f customers/s)", seconds(t4, t5), n / seconds(t4, t5));
        print("total load+fit+score", "%.3f s", seconds(t0, t4));
        print("mean P(alive)", "%.4f", second[0] / n);
        print("expected purchases, 52 weeks", "%.1f", second[1]);
        print("CLV, 52 weeks at 15%/yr", "$%.0f total, $%.2f per customer", second[2], second[2] / n);
        print(
                "holdout weeks 40-78",
                "actual %.0f, BG/NBD conditional %.1f (%+.1f%%)",
                holdoutActual,
                holdoutPredicted,
                100 * (holdoutPredicted - holdoutActual) / holdoutActual);
        if (first[2] != second[2]) {
            throw new IllegalStateException("scoring is not deterministic");
        }
    }

    private static double[] score(List<CustomerHistory> customers, Valuation valuation) {
        double[] sums = new double[3];
        for (CustomerHistory c : customers) {
            Valuation.CustomerValue v = valuation.value(c);
            sums[0] += v.probabilityAlive();
            sums[1] += v.expectedPurchases();
            sums[2] += v.lifetimeValue();
        }
        return sums;
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static void print(String key, String format, Object... args) {
        System.out.println(key + ": " + String.format(Locale.ROOT, format, args));
    }
}
