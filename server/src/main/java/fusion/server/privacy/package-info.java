/**
 * The consent ledger as the server uses it: every use of personal data asks at the moment of use,
 * so an expired grant or a fresh revocation takes effect on the next call; grants and revocations
 * are recorded append-only with their source.
 */
package fusion.server.privacy;
