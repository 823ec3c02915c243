/**
 * Customer incidence (PRODUCT.md, seed 003). {@code fusion.analytics.attribution} credits conversions
 * and value to channels from paths (first, last, linear; Markov removal effect of any order, solved
 * exactly) and predicts the next step of a trajectory; {@code fusion.analytics.journey} builds
 * trajectories from interactions: transition matrices, paths, stalls, leakage to competitors, share
 * of orbit, delight and failed needs per contact point. Depends on {@code fusion-core} and the JDK only.
 */
package fusion.analytics;
