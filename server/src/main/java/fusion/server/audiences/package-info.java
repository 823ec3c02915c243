/**
 * Audiences: a JSON rule language over a person's traits, events, scores, predictions, consent and
 * other audiences ({@link fusion.server.audiences.Rules}), and live membership kept current as
 * batches commit ({@link fusion.server.audiences.AudienceService}). See docs/AUDIENCES.md.
 */
package fusion.server.audiences;
