package fusion.core.engine;

/**
 * The scores of a pair at one instant.
 *
 * @param experience     0..100, 50 neutral: the customer's memories of the brand
 * @param experienceRaw  the same in points, unbounded, 0 neutral
 * @param fusion         0..100, 50 neutral: health of the symbiosis, high only when both sides are
 * @param brandSide      0..1, health of what the brand gives the party
 * @param consumerSide   0..1, health of what the party gives the brand
 * @param association    0..1, how strongly the two are associated through shared events
 */
public record Score(
        double experience,
        double experienceRaw,
        double fusion,
        double brandSide,
        double consumerSide,
        double association) {}
