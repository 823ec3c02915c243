/**
 * Reading the reference data sets: a CSV reader that returns an immutable
 * {@link fusion.models.data.Table}, and {@link fusion.models.data.DataFiles}, the one locator of the
 * data ({@code -Dfusion.data}, {@code FUSION_DATA}, else the repository's {@code datasets/} folder),
 * so tests and report programs run from any module directory of a clone.
 */
package fusion.models.data;
