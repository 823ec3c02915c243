/**
 * Key-driver analysis of survey answers: which questions move overall satisfaction.
 * {@link fusion.models.drivers.DriverAnalysis} fits OLS with standardised coefficients and splits
 * R^2 among the drivers by the exact Shapley value over all subsets (the LMG decomposition), with
 * seeded bootstrap intervals and rank stability; {@code fusion.bench.reports.DriverReport} (module bench) writes
 * {@code docs/reports/drivers.md}.
 */
package fusion.models.drivers;
