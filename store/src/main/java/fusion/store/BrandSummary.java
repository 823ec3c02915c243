package fusion.store;

/** A brand with its current value-weighted fusion and experience across its consumers. */
public record BrandSummary(
        String id,
        String name,
        boolean competitor,
        long consumers,
        long events,
        double money,
        double fusion,
        double experience) {}
