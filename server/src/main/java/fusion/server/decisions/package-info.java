/**
 * The decisions module wired into the server: the consent ledger behind every decision and every
 * delivery attempt ({@link fusion.server.decisions.LedgerConsent}), customer contexts built from
 * the store, decisions and deliveries kept in the store's tables, deferred acts sent when quiet
 * hours end (and re-scheduled from the table after a restart), the streaming trigger, and
 * receivers' outcome callbacks turned into events of the log.
 */
package fusion.server.decisions;
