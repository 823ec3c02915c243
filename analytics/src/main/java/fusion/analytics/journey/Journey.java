package fusion.analytics.journey;

import fusion.core.model.Interaction;
import fusion.core.model.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One party's run of interactions with one brand, growing step by step. */
final class Journey {

    final String segment;
    final String brand;
    final List<String> channels = new ArrayList<>();
    Interaction last;

    Journey(String segment, Interaction first) {
        this.segment = segment;
        this.brand = first.brand().id();
        step(first);
    }

    /** Steps kept for the journey's path; a longer journey's path ends in {@link #MORE}. */
    static final int PATH_STEPS = 20;

    static final String MORE = "...";

    void step(Interaction i) {
        if (channels.size() < PATH_STEPS) {
            channels.add(i.contactPoint().channel().label());
        } else if (channels.size() == PATH_STEPS) {
            channels.add(MORE);
        }
        last = i;
    }

    /** The channels of its first {@value #PATH_STEPS} steps, then {@link #MORE} if it went on. */
    List<String> path() {
        return List.copyOf(channels);
    }

    Instant lastTime() {
        return last.time();
    }

    String lastContactPoint() {
        return last.contactPoint().id();
    }

    Purpose lastPurpose() {
        return last.purpose();
    }

    /** A journey that ends on a purchase or a renewal did what journeys are for; any other stalled. */
    boolean endedInConversion() {
        return lastPurpose() == Purpose.PURCHASE || lastPurpose() == Purpose.RENEWAL;
    }
}
