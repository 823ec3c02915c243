package fusion.core.engine;

import static fusion.core.engine.Parameter.*;

import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.util.List;
import java.util.Locale;

/**
 * The default scoring rules, in the order they run. The first five put memories on the pyramid
 * of expectations (seed 002): needs, ease, delight. The rest record the exchange of the
 * symbiosis (seed 000): what the brand gave the party and what the party gave the brand.
 */
public final class StandardRules {
    private StandardRules() {}

    public static List<ScoringRule> all(ModelConfig c) {
        return List.of(
                need(c),
                effort(c),
                sentiment(c),
                staffPoliteness(c),
                wow(c),
                valueReceived(c),
                purchase(c),
                renewal(c),
                usage(c),
                advocacy(c),
                consumerPoliteness(c));
    }

    static ScoringRule need(ModelConfig c) {
        double met = c.get(NEED_MET_POINTS);
        double failed = c.get(NEED_FAILED_POINTS);
        return (e, out) -> {
            if (e.outcome().need() == Need.MET) {
                out.add("need", Target.NEEDS_MET, met, "need met");
            } else if (e.outcome().need() == Need.FAILED) {
                out.add("need", Target.NEEDS_FAILED, failed, "need not met");
            }
        };
    }

    static ScoringRule effort(ModelConfig c) {
        double repeat = c.get(REPEAT_CONTACT_POINTS);
        double switched = c.get(CHANNEL_SWITCH_POINTS);
        double grace = c.get(WAIT_GRACE_SECONDS);
        double perMinute = c.get(WAIT_POINTS_PER_MINUTE);
        double maxWait = c.get(MAX_WAIT_POINTS);
        double effortless = c.get(EFFORTLESS_POINTS);
        return (e, out) -> {
            Outcome o = e.outcome();
            double wait = Math.min(maxWait, Math.max(0, o.waitSeconds() - grace) / 60.0 * perMinute);
            double cost = o.repeatContacts() * repeat + o.channelSwitches() * switched + wait;
            if (cost > 0) {
                out.add("effort", Target.EASE_BAD, cost, effortDetail(o));
            } else if (o.need() == Need.MET) {
                out.add("effort", Target.EASE_GOOD, effortless, "effortless");
            }
        };
    }

    private static String effortDetail(Outcome o) {
        StringBuilder b = new StringBuilder();
        if (o.waitSeconds() > 0) b.append("waited ").append(minutes(o.waitSeconds()));
        if (o.repeatContacts() > 0) sep(b).append(o.repeatContacts()).append(" repeat contact(s)");
        if (o.channelSwitches() > 0) sep(b).append(o.channelSwitches()).append(" channel switch(es)");
        return b.toString();
    }

    static ScoringRule sentiment(ModelConfig c) {
        double points = c.get(SENTIMENT_POINTS);
        return (e, out) -> {
            double s = e.outcome().sentiment();
            if (!e.outcome().hasSentiment() || s == 0) {
                return;
            }
            String detail = s > 0 ? "felt good (" + signed(s) + ")" : "felt bad (" + signed(s) + ")";
            out.add("sentiment", s > 0 ? Target.EASE_GOOD : Target.EASE_BAD, Math.abs(s) * points, detail);
        };
    }

    static ScoringRule staffPoliteness(ModelConfig c) {
        double polite = c.get(STAFF_POLITE_POINTS);
        double rude = c.get(STAFF_RUDE_POINTS);
        return (e, out) -> {
            if (e.outcome().staff() == Politeness.POLITE) {
                out.add("staff", Target.EASE_GOOD, polite, "polite staff");
            } else if (e.outcome().staff() == Politeness.RUDE) {
                out.add("staff", Target.EASE_BAD, rude, "rude staff");
            }
        };
    }

    static ScoringRule wow(ModelConfig c) {
        double points = c.get(WOW_POINTS);
        return (e, out) -> {
            if (e.outcome().wow()) {
                out.add("wow", Target.DELIGHT, points, "wow moment");
            }
        };
    }

    static ScoringRule valueReceived(ModelConfig c) {
        double perPoint = c.get(VALUE_RECEIVED_POINTS);
        double exposure = c.get(EXPOSURE_POINTS);
        return (e, out) -> {
            Outcome o = e.outcome();
            if (o.valueReceived() > 0) {
                out.add(
                        "value",
                        Target.BRAND_GIVES,
                        o.valueReceived() * perPoint,
                        "received value " + number(o.valueReceived()));
            }
            if (o.followersGained() > 0) {
                out.add(
                        "exposure",
                        Target.BRAND_GIVES,
                        exposure * Math.log10(1 + o.followersGained()),
                        "followers +" + count(o.followersGained()));
            }
        };
    }

    static ScoringRule purchase(ModelConfig c) {
        double points = c.get(PURCHASE_POINTS);
        double unit = c.get(MONEY_UNIT);
        return (e, out) -> {
            double m = e.outcome().money();
            if (m == 0) {
                return;
            }
            double p = Math.signum(m) * points * Math.log1p(Math.abs(m) / unit);
            out.add("purchase", Target.CONSUMER_GIVES, p, (m > 0 ? "spent " : "refunded ") + number(Math.abs(m)));
        };
    }

    static ScoringRule renewal(ModelConfig c) {
        double points = c.get(RENEWAL_POINTS);
        return (e, out) -> {
            if (e.purpose() == Purpose.RENEWAL) {
                out.add("renewal", Target.CONSUMER_GIVES, points, "renewed");
            }
        };
    }

    static ScoringRule usage(ModelConfig c) {
        double points = c.get(USAGE_POINTS);
        return (e, out) -> {
            if (e.purpose() == Purpose.USAGE) {
                out.add("usage", Target.CONSUMER_GIVES, points, "used the product");
            }
        };
    }

    /**
     * Advocacy weighted by reach: sentiment times one plus the number of tenfolds of audience.
     * Advocacy without a stated sentiment counts as +1, a complaint as -1, commentary as 0.
     */
    static ScoringRule advocacy(ModelConfig c) {
        double points = c.get(ADVOCACY_POINTS);
        return (e, out) -> {
            Outcome o = e.outcome();
            boolean speaks = e.purpose() == Purpose.ADVOCACY
                    || e.purpose() == Purpose.COMMENTARY
                    || e.purpose() == Purpose.COMPLAINT;
            if (!speaks) {
                return;
            }
            double s = o.hasSentiment()
                    ? o.sentiment()
                    : e.purpose() == Purpose.ADVOCACY ? 1 : e.purpose() == Purpose.COMPLAINT ? -1 : 0;
            if (s == 0) {
                return;
            }
            double p = points * s * (1 + Math.log10(1 + o.reach()));
            String detail = e.purpose().label() + (o.isPublic() ? " to " + count(o.reach()) + " followers" : "")
                    + " (sentiment " + signed(s) + ")";
            if (p < 0 && o.isPublic()) {
                out.addSpreading("advocacy", p, detail);
            } else {
                out.add("advocacy", Target.CONSUMER_GIVES, p, detail);
            }
        };
    }

    static ScoringRule consumerPoliteness(ModelConfig c) {
        double polite = c.get(CONSUMER_POLITE_POINTS);
        double rude = c.get(CONSUMER_RUDE_POINTS);
        return (e, out) -> {
            Politeness p = e.outcome().consumer();
            if (p == Politeness.POLITE) {
                out.add("politeness", Target.CONSUMER_GIVES, polite, "polite customer");
            } else if (p == Politeness.RUDE && e.outcome().isPublic()) {
                out.addSpreading("politeness", -rude, "rude in public");
            } else if (p == Politeness.RUDE) {
                out.add("politeness", Target.CONSUMER_GIVES, -rude, "rude customer");
            }
        };
    }

    /** {@code +0.75} / {@code -0.90}: two decimals with a sign, without the cost of String.format. */
    static String signed(double v) {
        long hundredths = Math.round(Math.abs(v) * 100);
        String frac = Long.toString(hundredths % 100);
        // a value that rounds to zero reads +0.00, never -0.00
        return (v < 0 && hundredths > 0 ? "-" : "+") + hundredths / 100 + "."
                + (frac.length() == 1 ? "0" + frac : frac);
    }

    private static StringBuilder sep(StringBuilder b) {
        return b.length() == 0 ? b : b.append(", ");
    }

    private static String minutes(double seconds) {
        return seconds < 90 ? Math.round(seconds) + " s" : Math.round(seconds / 60) + " min";
    }

    static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : signed(v).substring(1);
    }

    /** 1234 -> "1.2k", 100000 -> "100k", 1200000 -> "1.2M". */
    static String count(long n) {
        if (n < 1000) return Long.toString(n);
        if (n < 1_000_000) return trim(n / 1e3) + "k";
        return trim(n / 1e6) + "M";
    }

    private static String trim(double v) {
        return v >= 100 || v == Math.rint(v) ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
    }
}
