/**
 * Trajectories of customers through brands' contact points, built from {@link fusion.core.model.Interaction}s:
 * per segment and brand, channel and purpose transition matrices, the most frequent paths, the time
 * between steps, where journeys stall, research-here-buy-there leakage to other brands, share of
 * orbit, and the rates of delight and of failed needs per contact point. A journey is a party's run
 * of interactions with one brand with no gap longer than the configured drop-out gap.
 * {@link fusion.analytics.journey.JourneyStats} takes events one at a time in O(1) per event;
 * {@link fusion.analytics.journey.JourneyStats#rebuild} derives the same report from a list in one batch.
 */
package fusion.analytics.journey;
