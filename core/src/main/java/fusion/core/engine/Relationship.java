package fusion.core.engine;

import java.time.Instant;

/**
 * The materialised state of one party-brand pair: decayed sums of memories and exchanges, all
 * valid at {@link #asOf()}. Each sum is {@code sum_i v_i * 2^-((asOf - t_i) / halfLife)}, so it
 * is updated in O(1) per event, adding commutes (arrival order does not matter), and two
 * profiles' states merge by aligning and adding.
 *
 * <p>Experience sums use the experience half-life; {@code brandGives} and {@code consumerGives}
 * the fusion half-life; {@code association} the association half-life.
 *
 * @param needsMet      needs-layer memories of needs met (points)
 * @param needsFailed   needs-layer memories of needs failed (points, positive)
 * @param easeGood      ease-layer good memories
 * @param easeBad       ease-layer bad memories (positive)
 * @param delight       delight-layer memories (wow)
 * @param brandGives    value the brand gave the party beyond the experience
 * @param consumerGives what the party gave the brand (purchases, renewals, advocacy), signed
 * @param association   decayed count of events the two shared
 * @param events        interactions between them (not decayed)
 * @param money         total money the party spent with the brand (not decayed)
 * @param firstSeenMillis time of the earliest event
 */
public record Relationship(
        String party,
        String brand,
        long asOfMillis,
        double needsMet,
        double needsFailed,
        double easeGood,
        double easeBad,
        double delight,
        double brandGives,
        double consumerGives,
        double association,
        long events,
        double money,
        long firstSeenMillis) {

    public Relationship {
        if (party == null || brand == null) {
            throw new IllegalArgumentException("party and brand are required");
        }
    }

    /** The instant every sum is valid at (times are kept as epoch millis: this is the hot path). */
    public Instant asOf() {
        return Instant.ofEpochMilli(asOfMillis);
    }

    public Instant firstSeen() {
        return Instant.ofEpochMilli(firstSeenMillis);
    }

    /** A pair that has never met: every sum zero, neutral scores. */
    public static Relationship empty(String party, String brand, Instant at) {
        return new Relationship(party, brand, at.toEpochMilli(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, at.toEpochMilli());
    }

    /** The same pair under another party id (after an identity merge). */
    public Relationship forParty(String newParty) {
        return new Relationship(
                newParty,
                brand,
                asOfMillis,
                needsMet,
                needsFailed,
                easeGood,
                easeBad,
                delight,
                brandGives,
                consumerGives,
                association,
                events,
                money,
                firstSeenMillis);
    }

    /** True when nothing but an association links the two (no interaction between them yet). */
    public boolean associationOnly() {
        return events == 0;
    }
}
