/**
 * Whether an influencer is active (talks about brands) or passive (others adopt what they are
 * seen with), measured from events rather than declared. {@link
 * fusion.models.influence.InfluenceAnalysis} computes, per influencer, the share of brand links
 * that are their own mentions and the lift in brand adoption among their followers in a window
 * after a mention or a co-appearance, against non-followers in the same window, with a
 * risk-ratio interval. {@link fusion.models.influence.InfluenceSimulation} generates seeded
 * event streams with known ground truth to validate it, as no public data set exists.
 */
package fusion.models.influence;
