/**
 * The {@code ./fusion} command line (picocli): serving, the demo, configuration, migration, copy
 * between stores, replay, simulation, models, impact and attribution on files, and the privacy and
 * consent commands that call a running server's API so the same checks and audit apply.
 */
package fusion.server.cli;
