package fusion.analytics.journey;

import fusion.analytics.attribution.ConversionPath;
import fusion.analytics.attribution.NextStepModel;
import fusion.core.model.Interaction;
import fusion.core.model.Purpose;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The likely next channel and next purpose of a customer's current journey with a brand, and
 * whether it converts or drops out, from order-k chains fitted to past journeys (see
 * {@link NextStepModel} for the back-off).
 *
 * <p>Past journeys are cut as in {@link JourneyStats}. A journey that reaches a purchase becomes a
 * converting path of its steps up to and including the first purchase, valued at that purchase's
 * money; a journey that ended (idle for longer than the drop-out gap) without one becomes a null
 * path; a journey still open and without a purchase is left out, its ending unknown.
 */
public final class JourneyNextStep {

    private final NextStepModel channels;
    private final NextStepModel purposes;

    private JourneyNextStep(NextStepModel channels, NextStepModel purposes) {
        this.channels = channels;
        this.purposes = purposes;
    }

    /** Fits chains of order 1..{@code order} to the journeys in {@code history} as of {@code asOf}. */
    public static JourneyNextStep fit(List<Interaction> history, JourneySettings settings, Instant asOf, int order) {
        return new JourneyNextStep(
                NextStepModel.fit(stepPaths(history, settings, asOf, CHANNEL), order),
                NextStepModel.fit(stepPaths(history, settings, asOf, PURPOSE), order));
    }

    private static final Function<Interaction, String> CHANNEL =
            i -> i.contactPoint().channel().label();
    private static final Function<Interaction, String> PURPOSE =
            i -> i.purpose().label();

    /**
     * The next step after {@code trajectory}, the current journey's interactions in time order. A
     * purchase ends a journey, so only the steps after the trajectory's last purchase count: right
     * after a purchase the answer is the first step of the next journey.
     */
    public Prediction predict(List<Interaction> trajectory) {
        List<Interaction> open = sinceLastPurchase(trajectory);
        return new Prediction(
                ChannelOutlook.of(channels.predict(open.stream().map(CHANNEL).toList())),
                PurposeOutlook.of(purposes.predict(open.stream().map(PURPOSE).toList())));
    }

    /** The steps after the last purchase of {@code trajectory} (all of them if it has none). */
    static List<Interaction> sinceLastPurchase(List<Interaction> trajectory) {
        for (int k = trajectory.size() - 1; k >= 0; k--) {
            if (trajectory.get(k).purpose() == Purpose.PURCHASE) {
                return trajectory.subList(k + 1, trajectory.size());
            }
        }
        return trajectory;
    }

    /**
     * Past journeys as paths for the next-step chains: the steps before a purchase, the purchase
     * itself being the conversion, so that a next step is exactly one of a further touch, a
     * purchase ({@code conversion}) or the end ({@code dropOut}), and the three sum to one. The steps
     * after a purchase start a new journey. (The attribution paths of {@link #paths} keep the
     * purchase's own touch as the path's last step instead: it gets credit there.)
     */
    static List<ConversionPath> stepPaths(
            List<Interaction> history, JourneySettings settings, Instant asOf, Function<Interaction, String> token) {
        Map<List<String>, long[]> counts = new LinkedHashMap<>();
        for (List<Interaction> events : byPartyAndBrand(history)) {
            List<String> tokens = new ArrayList<>();
            Instant last = null;
            for (Interaction i : events) {
                if (last != null && Duration.between(last, i.time()).compareTo(settings.dropOutGap()) > 0) {
                    if (!tokens.isEmpty()) counts.computeIfAbsent(tokens, k -> new long[2])[1]++;
                    tokens = new ArrayList<>();
                }
                last = i.time();
                if (i.purpose() == Purpose.PURCHASE) {
                    // a purchase as the very first step is a one-step journey with nothing before it
                    if (!tokens.isEmpty()) counts.computeIfAbsent(tokens, k -> new long[2])[0]++;
                    tokens = new ArrayList<>();
                } else {
                    tokens.add(token.apply(i));
                }
            }
            if (!tokens.isEmpty() && Duration.between(last, asOf).compareTo(settings.dropOutGap()) > 0) {
                counts.computeIfAbsent(tokens, k -> new long[2])[1]++;
            }
        }
        List<ConversionPath> out = new ArrayList<>();
        counts.forEach((path, c) -> out.add(new ConversionPath(path, c[0], BigDecimal.ZERO, c[1])));
        return out;
    }

    private static Collection<List<Interaction>> byPartyAndBrand(List<Interaction> history) {
        Map<String, List<Interaction>> byPartyBrand = new LinkedHashMap<>();
        for (Interaction i : history) {
            byPartyBrand
                    .computeIfAbsent(i.party() + "\u0000" + i.brand().id(), k -> new ArrayList<>())
                    .add(i);
        }
        byPartyBrand.values().forEach(events -> events.sort(Comparator.comparing(Interaction::time)));
        return byPartyBrand.values();
    }

    /**
     * The next step two ways, each labelled for what it predicts.
     *
     * @param channel next channel, conversion and drop-out, from the channel chains
     * @param purpose next purpose, conversion and drop-out, from the purpose chains
     */
    public record Prediction(ChannelOutlook channel, PurposeOutlook purpose) {}

    /**
     * The likely next channel.
     *
     * @param orderUsed          order of the chain that answered (0: overall frequencies)
     * @param nextChannel        probability of each channel (web, store, chat...) being the next touch
     * @param mostLikelyChannel  the likeliest next channel, empty if none was ever seen next
     */
    public record ChannelOutlook(
            int orderUsed,
            Map<String, Double> nextChannel,
            String mostLikelyChannel,
            double conversion,
            double dropOut,
            double eventualConversion) {
        static ChannelOutlook of(NextStepModel.NextStep s) {
            return new ChannelOutlook(
                    s.orderUsed(),
                    s.nextChannel(),
                    s.mostLikelyChannel(),
                    s.conversion(),
                    s.dropOut(),
                    s.eventualConversion());
        }
    }

    /**
     * The likely next purpose.
     *
     * @param orderUsed          order of the chain that answered (0: overall frequencies)
     * @param nextPurpose        probability of each purpose (research, purchase, service...) being next
     * @param mostLikelyPurpose  the likeliest next purpose, empty if none was ever seen next
     */
    public record PurposeOutlook(
            int orderUsed,
            Map<String, Double> nextPurpose,
            String mostLikelyPurpose,
            double conversion,
            double dropOut,
            double eventualConversion) {
        static PurposeOutlook of(NextStepModel.NextStep s) {
            // the chains are token-agnostic: what they call the next channel is, here, the next purpose
            return new PurposeOutlook(
                    s.orderUsed(),
                    s.nextChannel(),
                    s.mostLikelyChannel(),
                    s.conversion(),
                    s.dropOut(),
                    s.eventualConversion());
        }
    }

    /** Past journeys as paths of tokens, identical paths aggregated. */
    public static List<ConversionPath> paths(
            List<Interaction> history, JourneySettings settings, Instant asOf, Function<Interaction, String> token) {
        Map<String, List<Interaction>> byPartyBrand = new LinkedHashMap<>();
        for (Interaction i : history) {
            byPartyBrand
                    .computeIfAbsent(i.party() + "\u0000" + i.brand().id(), k -> new ArrayList<>())
                    .add(i);
        }
        Map<List<String>, long[]> counts = new LinkedHashMap<>();
        Map<List<String>, BigDecimal> values = new LinkedHashMap<>();
        for (List<Interaction> events : byPartyBrand.values()) {
            events.sort(Comparator.comparing(Interaction::time));
            List<Interaction> journey = new ArrayList<>();
            for (Interaction i : events) {
                if (!journey.isEmpty() && gapExceeded(journey, i.time(), settings.dropOutGap())) {
                    close(journey, asOf, settings.dropOutGap(), token, counts, values);
                    journey = new ArrayList<>();
                }
                journey.add(i);
            }
            close(journey, asOf, settings.dropOutGap(), token, counts, values);
        }
        List<ConversionPath> out = new ArrayList<>();
        counts.forEach((path, c) -> out.add(new ConversionPath(path, c[0], values.get(path), c[1])));
        return out;
    }

    private static boolean gapExceeded(List<Interaction> journey, Instant next, Duration gap) {
        return Duration.between(journey.get(journey.size() - 1).time(), next).compareTo(gap) > 0;
    }

    private static void close(
            List<Interaction> journey,
            Instant asOf,
            Duration gap,
            Function<Interaction, String> token,
            Map<List<String>, long[]> counts,
            Map<List<String>, BigDecimal> values) {
        List<String> tokens = new ArrayList<>();
        for (Interaction i : journey) {
            tokens.add(token.apply(i));
            if (i.purpose() == Purpose.PURCHASE) {
                counts.computeIfAbsent(tokens, k -> new long[2])[0]++;
                values.merge(tokens, BigDecimal.valueOf(i.outcome().money()), BigDecimal::add);
                return;
            }
        }
        if (gapExceeded(journey, asOf, gap)) {
            counts.computeIfAbsent(tokens, k -> new long[2])[1]++;
            values.putIfAbsent(tokens, BigDecimal.ZERO);
        }
    }
}
