/**
 * The co-created innovation stream (seed 004): {@link fusion.server.ideas.IdeaService} reads ideas,
 * votes and statuses from the log, groups ideas that say the same thing with Apache Lucene
 * ({@link fusion.server.ideas.IdeaGrouping}: English analyzer, BM25, a stated threshold), and writes
 * an operator's status change as one call per contributor, whose credit the engine scores.
 */
package fusion.server.ideas;
