/**
 * HTTP: Segment-compatible ingestion, the read API and the dashboard's static files, on Javalin.
 * {@link fusion.server.http.HttpApi} holds the routes and the single exception-to-status map.
 */
package fusion.server.http;
