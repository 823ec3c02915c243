/**
 * Reading the reference data sets: a small RFC-4180-style CSV reader that returns an immutable
 * {@link fusion.models.data.Table}, and {@link fusion.models.data.DataFiles}, which finds the shared
 * data folder ({@code ../shared/data} relative to the project root, or the {@code fusion.data}
 * system property) so tests and report generators run from any working directory.
 */
package fusion.models.data;
