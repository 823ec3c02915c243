package fusion.decisions;

import fusion.core.model.Channel;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The channels a customer actually uses, from their trajectory: one point for each contact they
 * start on a channel, two for each time they respond (start a contact within {@link #RESPONSE}) after
 * we reached them on it. Responding is the stronger signal: it is the channel that works for us.
 */
public record ChannelBehaviour(Map<Channel, Integer> points) {
    static final Duration RESPONSE = Duration.ofDays(2);

    public ChannelBehaviour {
        points = Map.copyOf(points);
    }

    public static ChannelBehaviour observe(List<Interaction> trajectory) {
        List<Interaction> sorted = trajectory.stream()
                .sorted(Comparator.comparing(Interaction::time))
                .toList();
        Map<Channel, Integer> points = new EnumMap<>(Channel.class);
        for (int k = 0; k < sorted.size(); k++) {
            Interaction i = sorted.get(k);
            if (i.initiator() == Initiator.CONSUMER) {
                points.merge(i.contactPoint().channel(), 1, Integer::sum);
                continue;
            }
            for (int j = k + 1; j < sorted.size(); j++) {
                Interaction next = sorted.get(j);
                if (Duration.between(i.time(), next.time()).compareTo(RESPONSE) > 0) {
                    break;
                }
                if (next.initiator() == Initiator.CONSUMER) {
                    points.merge(i.contactPoint().channel(), 2, Integer::sum);
                    break;
                }
            }
        }
        return new ChannelBehaviour(points);
    }

    public int pointsFor(Channel c) {
        return points.getOrDefault(c, 0);
    }
}
