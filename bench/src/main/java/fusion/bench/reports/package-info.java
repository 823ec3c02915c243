/**
 * Main programs that write the committed reports ({@code docs/reports/}) and run the analytics and
 * models at scale. They read the reference data through {@link fusion.models.data.DataFiles} and
 * live here, not in the product modules, because nothing in Fusion calls them: they exist to
 * produce and re-produce published figures. {@link fusion.bench.reports.SurveyGenerator} writes the
 * generated survey in {@code datasets/}.
 */
package fusion.bench.reports;
