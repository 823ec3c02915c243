package fusion.analytics.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * First-touch, last-touch and linear credit, accumulated path by path in exact arithmetic.
 *
 * <p>Linear credit gives each touch of a collapsed path of length {@code n} a share {@code 1/n}.
 * Summing such fractions over millions of paths exactly would grow huge denominators, so the
 * accumulator keeps, per channel and path length, the integer sum of conversions times the
 * channel's number of touches (and the decimal sum of value times touches), and divides by the
 * length only once at the end. Memory is channels x distinct lengths, whatever the number of paths.
 */
public final class HeuristicAttribution {

    private final Map<String, long[]> firstConversions = new HashMap<>();
    private final Map<String, BigDecimal> firstValue = new HashMap<>();
    private final Map<String, long[]> lastConversions = new HashMap<>();
    private final Map<String, BigDecimal> lastValue = new HashMap<>();
    /** channel -> path length -> sum of conversions x touches. */
    private final Map<String, Map<Integer, long[]>> linearConversions = new HashMap<>();

    private final Map<String, Map<Integer, BigDecimal>> linearValue = new HashMap<>();
    private final TreeSet<String> channels = new TreeSet<>();

    /** Adds one path; paths without conversions change nothing but the channel list. */
    public void add(ConversionPath path) {
        List<String> touches = path.collapsed();
        channels.addAll(touches);
        if (path.conversions() == 0 && path.value().signum() == 0) {
            return;
        }
        String first = touches.get(0);
        String last = touches.get(touches.size() - 1);
        firstConversions.computeIfAbsent(first, k -> new long[1])[0] += path.conversions();
        firstValue.merge(first, path.value(), BigDecimal::add);
        lastConversions.computeIfAbsent(last, k -> new long[1])[0] += path.conversions();
        lastValue.merge(last, path.value(), BigDecimal::add);
        int n = touches.size();
        Map<String, Integer> touchCounts = new HashMap<>();
        for (String c : touches) {
            touchCounts.merge(c, 1, Integer::sum);
        }
        touchCounts.forEach((channel, count) -> {
            linearConversions.computeIfAbsent(channel, k -> new HashMap<>()).computeIfAbsent(n, k -> new long[1])[0] +=
                    path.conversions() * count;
            linearValue
                    .computeIfAbsent(channel, k -> new HashMap<>())
                    .merge(n, path.value().multiply(BigDecimal.valueOf(count)), BigDecimal::add);
        });
    }

    /** Exact credit per channel (sorted by name) under each heuristic. */
    Map<String, ExactCredit> exact() {
        Map<String, ExactCredit> out = new TreeMap<>();
        for (String c : channels) {
            Rational linConv = Rational.ZERO;
            for (Map.Entry<Integer, long[]> e :
                    linearConversions.getOrDefault(c, Map.of()).entrySet()) {
                linConv = linConv.plus(Rational.of(e.getValue()[0]).dividedBy(e.getKey()));
            }
            Rational linValue = Rational.ZERO;
            for (Map.Entry<Integer, BigDecimal> e :
                    linearValue.getOrDefault(c, Map.of()).entrySet()) {
                linValue = linValue.plus(Rational.of(e.getValue()).dividedBy(e.getKey()));
            }
            out.put(
                    c,
                    new ExactCredit(
                            Rational.of(firstConversions.getOrDefault(c, new long[1])[0]),
                            Rational.of(firstValue.getOrDefault(c, BigDecimal.ZERO)),
                            Rational.of(lastConversions.getOrDefault(c, new long[1])[0]),
                            Rational.of(lastValue.getOrDefault(c, BigDecimal.ZERO)),
                            linConv,
                            linValue));
        }
        return out;
    }

    /** Credit per channel, sorted by channel name, as plain numbers. */
    public List<HeuristicCredit> credits() {
        List<HeuristicCredit> out = new ArrayList<>();
        exact().forEach((c, e) -> out.add(new HeuristicCredit(
                c,
                e.firstConversions.toDouble(),
                e.firstValue.toDouble(),
                e.lastConversions.toDouble(),
                e.lastValue.toDouble(),
                e.linearConversions.toDouble(),
                e.linearValue.toDouble())));
        return out;
    }

    record ExactCredit(
            Rational firstConversions,
            Rational firstValue,
            Rational lastConversions,
            Rational lastValue,
            Rational linearConversions,
            Rational linearValue) {}

    /**
     * One channel's heuristic credit: conversions and conversion value under first touch, last
     * touch and linear.
     */
    public record HeuristicCredit(
            String channel,
            double firstTouchConversions,
            double firstTouchValue,
            double lastTouchConversions,
            double lastTouchValue,
            double linearConversions,
            double linearValue) {}
}
