/**
 * The validated models of {@code fusion-models} in live use: customer value (BG/NBD and
 * gamma-gamma fitted on the store's purchases, cached and refitted every few minutes) and the
 * impact of declared brand actions on a brand's daily series, with the other brands as controls.
 * The HTTP API and the command line both call these services; neither fits anything itself.
 */
package fusion.server.models;
