/**
 * The domain: interactions between parties and brands at contact points, with their purpose,
 * initiator and outcome. Values are immutable records that validate themselves; a value that does
 * not fit throws {@link fusion.core.model.InvalidInput} naming the field. Nothing here knows about
 * JSON, HTTP or storage.
 */
package fusion.core.model;
