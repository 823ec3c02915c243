package fusion.core.engine;

import fusion.core.model.Interaction;

/**
 * Turns one signal of an interaction into contributions to the pair's sums. Rules are registered
 * in code, in a visible order ({@link StandardRules#all}); each reads what it needs and adds
 * nothing when its signal is absent.
 */
@FunctionalInterface
public interface ScoringRule {
    void score(Interaction event, Sink out);

    /** Where a rule puts what it found. */
    interface Sink {
        /** A contribution to the direct pair only. */
        void add(String rule, Target target, double points, String detail);

        /**
         * A public act of the party that reflects on every brand associated with it (seed 000:
         * the artist's petty tweet also hurts the sweater brand she wore). Only negative acts
         * spread: praise of one brand is not praise of another.
         */
        void addSpreading(String rule, double consumerPoints, String detail);
    }
}
