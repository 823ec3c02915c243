/**
 * Delivery of decisions to real endpoints: one webhook per channel, signed with HMAC-SHA256
 * ({@link fusion.decisions.delivery.WebhookSignature}), retried with capped exponential backoff and
 * full jitter, deduplicated by an idempotency key per decision, dead-lettered after the last
 * attempt ({@link fusion.decisions.delivery.DeliveryLog}). {@link fusion.decisions.delivery.WebhookDelivery}
 * is the entry point; {@link fusion.decisions.delivery.DeliveryOutcomes} turns the receiver's
 * callbacks back into interactions. See docs/DECISIONS.md, "Delivery".
 */
package fusion.decisions.delivery;
