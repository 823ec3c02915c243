/**
 * Customer incidence on live data: journey statistics kept incrementally as events arrive, and
 * attribution and next-step answers for the API, built on the {@code analytics} module.
 */
package fusion.server.journeys;
