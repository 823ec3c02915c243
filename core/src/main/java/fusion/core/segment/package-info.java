/**
 * The Segment tracking API as a source of interactions: the validated call as the log keeps it,
 * the standard event names with their default meaning, and the mapping that applies them and the
 * properties that override them.
 */
package fusion.core.segment;
