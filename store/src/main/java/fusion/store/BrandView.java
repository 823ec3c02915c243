package fusion.store;

import java.time.LocalDate;
import java.util.List;

/** A brand's health now and as a daily series (value-weighted across its consumers). */
public record BrandView(BrandSummary summary, List<Point> series) {

    /**
     * Health at the end of {@code day}: fusion and experience averaged over every consumer who
     * had met the brand by then, each weighted by {@code 1 + ln(1 + money spent)}; plus that
     * day's events and money.
     */
    public record Point(LocalDate day, double fusion, double experience, long consumers, long events, double money) {}
}
