package fusion.core.segment;

import java.util.Locale;
import java.util.Optional;

/**
 * Gives an event name its meaning. Mappings are registered in code, in order; the first that
 * matches wins ({@link StandardEvents#all()} lists the defaults).
 */
@FunctionalInterface
public interface EventMapping {
    /**
     * The meaning of an event, given its name {@linkplain #normalize normalized} once by the caller
     * (trimmed, lower case), so that dozens of mappings do not each normalize it again.
     */
    Optional<EventDefaults> match(String normalizedName);

    static String normalize(String eventName) {
        return eventName.trim().toLowerCase(Locale.ROOT);
    }

    /** Matches one event name, ignoring case and surrounding spaces. */
    static EventMapping named(String name, EventDefaults defaults) {
        String key = normalize(name);
        Optional<EventDefaults> found = Optional.of(defaults);
        return event -> key.equals(event) ? found : Optional.empty();
    }
}
