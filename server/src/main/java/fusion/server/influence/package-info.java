/**
 * Influencers live (seed 000): {@link fusion.server.influence.InfluenceService} runs {@code
 * fusion.models.influence.BrandInfluence} over the store's interactions, so each party's active
 * and passive influence on each brand, with its evidence, is served by the API and the dashboard.
 */
package fusion.server.influence;
