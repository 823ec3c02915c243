/**
 * Attribution of conversions and conversion value to channels from customer paths: first touch,
 * last touch and linear credit in exact arithmetic, and the Markov-chain removal effect of Anderl,
 * Becker, von Wangenheim and Schumann (2016, "Mapping the customer journey: lessons learned from
 * graph-based online attribution modeling", IJRM 33(3)) of any order, solved exactly on the
 * absorbing chain rather than simulated. Everything is accumulated from a stream of paths, so ten
 * million paths need no more memory than the distinct transitions they contain. The entry point is
 * {@link fusion.analytics.attribution.Attribution}; {@link fusion.analytics.attribution.NextStepModel}
 * predicts a trajectory's next channel and its conversion from the same fitted chains.
 * Conventions are in {@code docs/ATTRIBUTION.md}.
 */
package fusion.analytics.attribution;
