/**
 * Identity resolution as pure decisions: given the identity graph as it stands, which profile a
 * call lands on and which profiles merge, each merge with its reason. The store applies them.
 */
package fusion.core.identity;
