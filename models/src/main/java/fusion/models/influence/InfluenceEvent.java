package fusion.models.influence;

/**
 * Something that links a person to a brand at a time (time in any consistent unit, e.g. days).
 */
public sealed interface InfluenceEvent {

    long time();

    String brand();

    /** The influencer talks about the brand: a post, a review, a paid mention. */
    record Mention(long time, String influencer, String brand) implements InfluenceEvent {}

    /** The influencer is seen with the brand without talking about it (wears it, uses it). */
    record CoAppearance(long time, String influencer, String brand) implements InfluenceEvent {}

    /** A person adopts the brand (first purchase, follow, sign-up). */
    record Adoption(long time, String person, String brand) implements InfluenceEvent {}
}
