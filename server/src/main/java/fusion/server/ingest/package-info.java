/**
 * Getting data in from files: {@link fusion.server.ingest.Importer} reads NDJSON of Segment calls
 * or CSV through a column mapping, line by line, through the same parser and the same checks as
 * the HTTP API, into the local store or a running server ({@link fusion.server.ingest.ImportTarget}),
 * with a checkpoint after every committed batch so that a rerun continues where the last one
 * stopped (messageId de-duplication keeps a repeated batch exact).
 */
package fusion.server.ingest;
