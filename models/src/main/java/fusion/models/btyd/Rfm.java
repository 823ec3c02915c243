package fusion.models.btyd;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.TreeSet;

/**
 * One customer's calibration-period history in the form the continuous-time BTYD models need.
 *
 * @param frequency {@code x}: repeat transactions, i.e. distinct purchase occasions after the first
 * @param recency {@code t_x}: time from the first purchase to the last one (0 when {@code x = 0})
 * @param age {@code T}: time from the first purchase to the end of the calibration period
 */
public record Rfm(int frequency, double recency, double age) {
    public Rfm {
        if (frequency < 0) {
            throw new IllegalArgumentException("frequency: expected x >= 0 but was " + frequency);
        }
        if (!(recency >= 0 && recency <= age && Double.isFinite(age))) {
            throw new IllegalArgumentException("recency: expected 0 <= t_x <= T but was t_x=" + recency + ", T=" + age);
        }
        if (frequency == 0 && recency != 0) {
            throw new IllegalArgumentException("recency: expected 0 when x = 0 but was " + recency);
        }
    }

    /**
     * The history of a customer who bought on the given dates, seen at the end of {@code end}, in
     * weeks (days / 7). Several purchases on one day are one transaction (the CDNOW convention).
     */
    public static Rfm ofPurchaseDays(Collection<LocalDate> dates, LocalDate end) {
        TreeSet<LocalDate> days = new TreeSet<>(dates);
        days.removeIf(d -> d.isAfter(end));
        if (days.isEmpty()) {
            throw new IllegalArgumentException("dates: expected a purchase on or before " + end);
        }
        LocalDate first = days.first();
        return new Rfm(
                days.size() - 1,
                ChronoUnit.DAYS.between(first, days.last()) / 7.0,
                ChronoUnit.DAYS.between(first, end) / 7.0);
    }
}
