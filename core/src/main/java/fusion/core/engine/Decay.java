package fusion.core.engine;

import java.time.Instant;

/**
 * Exponential fading at three half-lives. A sum valid at {@code from} is valid at {@code to} after
 * multiplying by {@code 2^-((to - from) / halfLife)}; the factor is also used backwards to weigh a
 * late event into a sum that is already ahead of it.
 */
final class Decay {
    private static final double LN2 = Math.log(2);
    private static final double MILLIS_PER_DAY = 86_400_000.0;

    private final double experienceRate;
    private final double fusionRate;
    private final double associationRate;

    Decay(ModelConfig c) {
        experienceRate = LN2 / (c.get(Parameter.EXPERIENCE_HALF_LIFE_DAYS) * MILLIS_PER_DAY);
        fusionRate = LN2 / (c.get(Parameter.FUSION_HALF_LIFE_DAYS) * MILLIS_PER_DAY);
        associationRate = LN2 / (c.get(Parameter.ASSOCIATION_HALF_LIFE_DAYS) * MILLIS_PER_DAY);
    }

    /** Factors for an interval of {@code millis} >= 0. */
    Factors over(long millis) {
        if (millis == 0) {
            return Factors.ONE;
        }
        return new Factors(
                Math.exp(-experienceRate * millis),
                Math.exp(-fusionRate * millis),
                Math.exp(-associationRate * millis));
    }

    double experience(long millis) {
        return millis == 0 ? 1 : Math.exp(-experienceRate * millis);
    }

    double fusion(long millis) {
        return millis == 0 ? 1 : Math.exp(-fusionRate * millis);
    }

    double association(long millis) {
        return millis == 0 ? 1 : Math.exp(-associationRate * millis);
    }

    /** The state's sums carried forward to {@code t}; a state already at or past t is returned as is. */
    Relationship advance(Relationship r, Instant t) {
        long dt = t.toEpochMilli() - r.asOfMillis();
        if (dt <= 0) {
            return r;
        }
        Factors f = over(dt);
        return new Relationship(
                r.party(),
                r.brand(),
                t.toEpochMilli(),
                r.needsMet() * f.experience(),
                r.needsFailed() * f.experience(),
                r.easeGood() * f.experience(),
                r.easeBad() * f.experience(),
                r.delight() * f.experience(),
                r.brandGives() * f.fusion(),
                r.consumerGives() * f.fusion(),
                r.association() * f.association(),
                r.events(),
                r.money(),
                r.firstSeenMillis());
    }

    record Factors(double experience, double fusion, double association) {
        static final Factors ONE = new Factors(1, 1, 1);
    }
}
