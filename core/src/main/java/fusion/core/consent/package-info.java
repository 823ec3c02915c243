/**
 * Consent as data: the append-only ledger entry ({@link fusion.core.consent.ConsentRecord}), the
 * purposes data may be used for, and the policy that reads a person's ledger at an instant into a
 * verdict naming the entry it rests on. Pure and storage-free, so the server, the decisions and a
 * simulation replaying history all read consent the same way.
 */
package fusion.core.consent;
