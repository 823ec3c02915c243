/**
 * Churn risk for contractual customers. {@link fusion.models.churn.ChurnModel} is an L2-regularised
 * logistic regression fitted by Newton's method (iteratively reweighted least squares) on
 * standardised features; it takes any numeric feature vectors, so the same model scores vectors
 * built from Fusion's own trajectories and scores. {@link fusion.models.churn.TelcoChurn} encodes the
 * public telco data set, {@link fusion.models.churn.ChurnEvaluation} measures held-out
 * discrimination (exact Mann-Whitney AUC) and calibration (log-loss, Brier, deciles) against the
 * base rate, and {@code fusion.bench.reports.ChurnReport} (module bench) writes {@code docs/reports/churn.md}.
 */
package fusion.models.churn;
