package fusion.analytics.attribution;

import java.util.ArrayList;
import java.util.List;

/**
 * Removal-effect attribution on a fitted chain (Anderl et al. 2016, section 3.3): the removal
 * effect of channel {@code c} is {@code (P(conv) - P(conv without c)) / P(conv)}, and a channel's
 * attributed conversions are its removal effect's share of all channels' removal effects times the
 * observed total conversions (value likewise), so credit always sums to what was observed.
 */
public final class MarkovAttribution {

    private MarkovAttribution() {}

    /** Removal effects and credit for every channel the chain saw, sorted by channel name. */
    public static MarkovCredit attribute(MarkovChain chain, long totalConversions, double totalValue) {
        AbsorptionSolver.Solution base = AbsorptionSolver.solve(chain, new boolean[chain.states()]);
        double p = base.probabilities()[0];
        List<String> names = chain.channels().stream().sorted().toList();
        double[] without = new double[names.size()];
        double[] effect = new double[names.size()];
        double effectSum = 0;
        double worstResidual = base.residual();
        for (int i = 0; i < names.size(); i++) {
            AbsorptionSolver.Solution s = AbsorptionSolver.solve(chain, chain.statesHolding(names.get(i)));
            without[i] = s.probabilities()[0];
            effect[i] = p == 0 ? 0 : (p - without[i]) / p;
            effectSum += effect[i];
            worstResidual = Math.max(worstResidual, s.residual());
        }
        List<ChannelRemoval> channels = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            double share = effectSum == 0 ? 0 : effect[i] / effectSum;
            channels.add(new ChannelRemoval(
                    names.get(i), without[i], effect[i], share * totalConversions, share * totalValue));
        }
        return new MarkovCredit(chain.order(), chain.states(), p, base.method(), worstResidual, channels);
    }

    /**
     * Markov attribution of one order.
     *
     * @param order                 how many past channels a state remembers
     * @param states                transient states of the chain, the start included
     * @param conversionProbability probability a journey from the start converts
     * @param solver                how the absorbing chain was solved
     * @param worstResidual         largest {@code |x - Qx - r|} over all solves: the error bound
     * @param channels              removal effect and credit per channel, by channel name
     */
    public record MarkovCredit(
            int order,
            int states,
            double conversionProbability,
            String solver,
            double worstResidual,
            List<ChannelRemoval> channels) {}

    /**
     * One channel's removal.
     *
     * @param channel                      the channel
     * @param conversionProbabilityWithout P(conversion) with the channel's states sent to null
     * @param removalEffect                relative drop in P(conversion), 0..1
     * @param conversions                  attributed conversions
     * @param value                        attributed conversion value
     */
    public record ChannelRemoval(
            String channel,
            double conversionProbabilityWithout,
            double removalEffect,
            double conversions,
            double value) {}
}
