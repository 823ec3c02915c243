/**
 * The tracking plan in live use: {@link fusion.server.plan.PlanFile} reads a user's plan (JSON or
 * YAML) into the core's {@link fusion.core.segment.TrackingPlan}, refusing what does not fit with
 * its JSON path; {@link fusion.server.plan.PlanGate} checks each batch at the ingest edge in the
 * mode of its source and keeps the {@link fusion.server.plan.PlanViolations} the API shows.
 */
package fusion.server.plan;
