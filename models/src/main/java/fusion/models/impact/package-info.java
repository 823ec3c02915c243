/**
 * The effect of a brand action (concert, campaign, sponsorship, price change) against a
 * counterfactual, three ways: {@link fusion.models.impact.ControlRegression} predicts the outcome
 * from control series fitted before the action (Bayesian linear regression, posterior simulation);
 * {@link fusion.models.impact.SyntheticControl} builds the treated unit from a convex combination of
 * untreated donors (Abadie, Diamond &amp; Hainmueller 2010) and tests it with placebos in space;
 * {@link fusion.models.impact.DifferenceInDifferences} compares treated and control groups before and
 * after with robust and clustered standard errors. Each result carries an interval, a probability
 * and, where the data cannot tell, says so in a plain message.
 */
package fusion.models.impact;
