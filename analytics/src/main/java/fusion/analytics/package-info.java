/** Customer incidence: trajectories across channels and brands, transition matrices, attribution and next-step prediction. */
package fusion.analytics;
