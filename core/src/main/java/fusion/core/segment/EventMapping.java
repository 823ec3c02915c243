package fusion.core.segment;

import java.util.Locale;
import java.util.Optional;

/**
 * Gives an event name its meaning. Mappings are registered in code, in order; the first that
 * matches wins ({@link StandardEvents#all()} lists the defaults).
 */
@FunctionalInterface
public interface EventMapping {
    Optional<EventDefaults> match(String eventName);

    /** Matches one event name, ignoring case and surrounding spaces. */
    static EventMapping named(String name, EventDefaults defaults) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        return event -> key.equals(event.trim().toLowerCase(Locale.ROOT)) ? Optional.of(defaults) : Optional.empty();
    }
}
