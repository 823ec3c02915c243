package fusion.core.model;

/** A named place of contact ("store-milan", "support-chat") on a channel. */
public record ContactPoint(String id, Channel channel) {
    public ContactPoint {
        if (id == null || id.isBlank()) {
            throw new InvalidInput("contact_point", "must not be empty");
        }
        if (channel == null) {
            throw new InvalidInput("channel", "must not be null");
        }
    }

    /** The channel itself as the contact point, when the event names no finer one. */
    public static ContactPoint of(Channel channel) {
        return new ContactPoint(channel.label(), channel);
    }
}
