/**
 * The scoring engine: experience with fading memories on the pyramid of expectations, the
 * two-sided Fusion Score, associations and the propagation of incidents, each change explained by
 * a ledger entry. {@link fusion.core.engine.Engine} is the entry point; it is a pure function of
 * its inputs, configured by {@link fusion.core.engine.ModelConfig}. See docs/SCORING.md.
 */
package fusion.core.engine;
