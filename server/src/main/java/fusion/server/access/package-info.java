/**
 * Who may do what: API tokens with roles that include each other (analyst, operator, admin), the
 * principal a request runs as, the 403 for a role or consent that does not allow a call, and the
 * audit log that records reads of personal data in the background without making them wait.
 */
package fusion.server.access;
