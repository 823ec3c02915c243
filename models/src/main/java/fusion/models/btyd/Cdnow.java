package fusion.models.btyd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CDNOW 1997-Q1 cohort (the data of Fader, Hardie & Lee 2005), summarised as the papers do.
 *
 * <p>Conventions, those of Fader, Hardie &amp; Lee (2005): purchases by one customer on one day are one
 * transaction (their dollar values summed); calibration is 1997-01-01..1997-09-30 (39 weeks),
 * holdout 1997-10-01..1998-06-30; {@code x} = distinct calibration purchase days − 1; {@code t_x}
 * and {@code T} are days / 7 from the first purchase to the last calibration purchase and to
 * 1997-09-30. Spend for the gamma-gamma model is the mean value of the repeat (non-first)
 * calibration transactions.
 *
 * <p>Both file layouts are read: {@code CDNOW_sample.txt} (master id, sample id, yyyymmdd, CDs,
 * dollars) and {@code CDNOW_master.txt} (id, yyyymmdd, CDs, dollars, one header line).
 */
public final class Cdnow {
    public static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    public static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);
    /** Weeks in the holdout period, 1997-10-01..1998-06-30 (273 days). */
    public static final double HOLDOUT_WEEKS = 39;

    private Cdnow() {}

    /** Reads and summarises a CDNOW file, customers in file order. */
    public static List<CustomerHistory> load(Path file) {
        Map<String, TreeMap<Long, Double>> days = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("CDNOW: cannot read " + file, e);
        }
        for (int n = 0; n < lines.size(); n++) {
            String[] f = lines.get(n).trim().split("\\s+");
            if (f.length < 4 || !Character.isDigit(f[0].charAt(0))) {
                continue; // the master file's header, blank lines
            }
            if (f.length != 4 && f.length != 5) {
                throw new IllegalArgumentException(
                        file + ":" + (n + 1) + ": expected 4 or 5 columns but was " + f.length);
            }
            int date = Integer.parseInt(f[f.length - 3]);
            double dollars = Double.parseDouble(f[f.length - 1]);
            long day = LocalDate.of(date / 10000, date / 100 % 100, date % 100).toEpochDay();
            days.computeIfAbsent(f[0], k -> new TreeMap<>()).merge(day, dollars, Double::sum);
        }
        return CustomerBase.summariseDays(days, CALIBRATION_END, HOLDOUT_END);
    }
}
