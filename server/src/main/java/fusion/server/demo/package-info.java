/**
 * The demo market of {@code ./fusion demo}: a seeded scenario of consumers and brands over 60
 * days (with the scripted seed stories) sent through the public Segment API as an SDK would, and a
 * live ticker that keeps it moving afterwards.
 */
package fusion.server.demo;
