/**
 * The Fusion server: {@link fusion.server.FusionServer} builds the engine, the mapping, the store,
 * the services and the HTTP API and starts them; the subpackages hold the HTTP routes, the command
 * line, access control, privacy, journeys, decisions, models and the demo.
 */
package fusion.server;
