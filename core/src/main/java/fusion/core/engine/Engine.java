package fusion.core.engine;

import static fusion.core.engine.Parameter.*;
import static fusion.core.model.Bounds.sum;

import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring engine: a pure, deterministic function from (state, event) to (new state, ledger
 * entries). It reads time only from the event and state only through the {@link StateView}, so
 * the server, a replay and a Flink job given the same events get the same scores.
 *
 * <h2>Experience (seed 002)</h2>
 * Memories sit on three layers: needs, ease, delight. Each layer keeps decayed sums of good and
 * bad memories; the raw experience is
 * {@code wN*(met - failed) + wE*(good - bad) + wD*gate*delight}, where {@code gate} is 1 while
 * needs are not failing ({@code met >= failed}) and 0 once they are: delight cannot lift a
 * relationship whose needs are failing. The gate compares the sums with each other, never with
 * a fixed number of points, so fading (which scales every sum alike) never opens it: with no new
 * events raw halves every half-life and the score {@code 50 + 50*tanh(raw/scale)} relaxes
 * monotonically to 50. Every term is monotone in its memories (the gate only opens with needs
 * met and only closes with needs failed), so a positive memory never lowers the score.
 *
 * <h2>Fusion (seed 000)</h2>
 * Two sides: what the brand gives ({@code k*experience + value received}) and what the party
 * gives (purchases, renewals, usage, advocacy weighted by reach, politeness). Each side's health
 * is {@code logistic(points/sideScale)} and the score is {@code 100*sqrt(brand*consumer)}: the
 * geometric mean is high only when both are.
 *
 * <h2>Associations and propagation</h2>
 * Each public event ({@link #inPublic}: with an audience, on social media or at an event) adds one
 * to the decayed association count of the pair and of the party with each co-involved party; the
 * strength is {@code 1 - exp(-count/scale)}. Private events (purchases, tickets) associate nothing,
 * so an incident never reaches a brand the party only bought from. A public negative act of a
 * party (a rude tweet) hits its direct pair in full (the incident's site has association 1) and
 * every other associated pair by the same points times that pair's association strength.
 */
public final class Engine {
    private final ModelConfig config;
    private final Decay decay;
    private final List<ScoringRule> rules;
    private final double wNeeds;
    private final double wEase;
    private final double wDelight;
    private final double experienceScale;
    private final double experienceToBrand;
    private final double sideScale;
    private final double associationScale;
    private final int maxPropagation;

    public Engine(ModelConfig config) {
        this(config, StandardRules.all(config));
    }

    public Engine(ModelConfig config, List<ScoringRule> rules) {
        this.config = config;
        this.decay = new Decay(config);
        this.rules = List.copyOf(rules);
        wNeeds = config.get(NEEDS_WEIGHT);
        wEase = config.get(EASE_WEIGHT);
        wDelight = config.get(DELIGHT_WEIGHT);
        experienceScale = config.get(EXPERIENCE_SCALE);
        experienceToBrand = config.get(EXPERIENCE_TO_BRAND_SIDE);
        sideScale = config.get(SIDE_SCALE);
        associationScale = config.get(ASSOCIATION_SCALE);
        maxPropagation = (int) config.get(MAX_PROPAGATION);
    }

    public ModelConfig config() {
        return config;
    }

    /** Applies one interaction. */
    public Step apply(StateView state, Interaction event) {
        Collected found = new Collected();
        for (ScoringRule rule : rules) {
            rule.score(event, found);
        }
        Map<String, Relationship> touched = new LinkedHashMap<>();
        List<LedgerEntry> ledger = new ArrayList<>(2);
        Instant t = event.time();
        String party = event.party();
        String brand = event.brand().id();

        Relationship before = state.relationship(party, brand).orElse(Relationship.empty(party, brand, t));
        boolean seen = inPublic(event);
        Relationship after =
                add(before, t, found.direct, 0, seen ? 1 : 0, 1, event.outcome().money());
        touched.put(brand, after);
        ledger.add(entry(before, after, t, event.id(), LedgerEntry.Kind.EVENT, found.all(), event.description()));

        // only a tie the public saw associates: a private purchase is nobody's business but the pair's
        for (String other : seen ? event.coParties() : List.<String>of()) {
            Relationship r = touched.containsKey(other)
                    ? touched.get(other)
                    : state.relationship(party, other).orElse(Relationship.empty(party, other, t));
            touched.put(other, add(r, t, List.of(), 0, 1, 0, 0));
        }
        if (found.spreading < 0 && maxPropagation > 0) {
            propagate(state, event, found, touched, ledger);
        }
        return new Step(new ArrayList<>(touched.values()), ledger);
    }

    /**
     * Whether the public saw the interaction, so that it ties the party to the brand and to its
     * co-parties in the public's eye: an act with an audience (reach), or one on a public stage by
     * nature (a social post, an event: a concert, a premiere, a sponsorship). A purchase, a support
     * ticket or a product used at home is private, however often it happens.
     */
    static boolean inPublic(Interaction event) {
        Channel c = event.contactPoint().channel();
        return event.outcome().isPublic() || c == Channel.SOCIAL || c == Channel.EVENT;
    }

    private void propagate(
            StateView state,
            Interaction event,
            Collected found,
            Map<String, Relationship> touched,
            List<LedgerEntry> ledger) {
        Instant t = event.time();
        Map<String, Relationship> candidates = new LinkedHashMap<>();
        for (Relationship r : state.relationshipsOf(event.party())) {
            candidates.put(r.brand(), r);
        }
        candidates.putAll(touched);
        candidates.remove(event.brand().id());
        record Candidate(Relationship r, double strength) {}
        List<Candidate> associated = candidates.values().stream()
                .filter(r -> !r.associationOnly())
                .map(r -> new Candidate(r, associationAt(r, t)))
                .filter(c -> c.strength() > 0)
                .sorted(Comparator.comparingDouble((Candidate c) -> -c.strength())
                        .thenComparing(c -> c.r().brand()))
                .limit(maxPropagation)
                .toList();
        for (Candidate candidate : associated) {
            Relationship r = candidate.r();
            double strength = candidate.strength();
            double points = found.spreading * strength;
            String why = "incident at " + event.brand().id() + " by " + event.party() + " spread here (association "
                    + StandardRules.signed(strength).substring(1) + ")";
            Relationship after = add(r, t, List.of(), points, 0, 0, 0);
            touched.put(r.brand(), after);
            List<Contribution> c =
                    List.of(new Contribution("propagation", Target.CONSUMER_GIVES, points, found.spreadingDetail()));
            ledger.add(entry(r, after, t, event.id(), LedgerEntry.Kind.PROPAGATED, c, why));
        }
    }

    /**
     * Merges the state of a pair held under two profiles that turned out to be one person: sums
     * are aligned to the later instant and added, so the result equals the state the merged
     * history would have produced.
     */
    public Step merge(Relationship survivor, Relationship absorbed, Instant at, String eventId, String note) {
        Instant asOf = survivor.asOf().isAfter(absorbed.asOf()) ? survivor.asOf() : absorbed.asOf();
        Relationship a = decay.advance(survivor, asOf);
        Relationship b = decay.advance(absorbed, asOf);
        long first = firstSeen(a.events(), a.firstSeenMillis(), b.events(), b.firstSeenMillis());
        Relationship merged = new Relationship(
                survivor.party(),
                survivor.brand(),
                asOf.toEpochMilli(),
                sum(a.needsMet() + b.needsMet()),
                sum(a.needsFailed() + b.needsFailed()),
                sum(a.easeGood() + b.easeGood()),
                sum(a.easeBad() + b.easeBad()),
                sum(a.delight() + b.delight()),
                sum(a.brandGives() + b.brandGives()),
                sum(a.consumerGives() + b.consumerGives()),
                sum(a.association() + b.association()),
                a.events() + b.events(),
                sum(a.money() + b.money()),
                first);
        List<LedgerEntry> ledger = merged.associationOnly()
                ? List.of()
                : List.of(entry(survivor, merged, at, eventId, LedgerEntry.Kind.MERGE, List.of(), note));
        return new Step(List.of(merged), ledger);
    }

    /** The pair's scores at {@code at} (its sums faded to then; never rewound). */
    public Score score(Relationship r, Instant at) {
        long dt = Math.max(0, at.toEpochMilli() - r.asOfMillis());
        double fa = decay.association(dt);
        return evaluate(
                r, decay.experience(dt), decay.fusion(dt), 1 - Math.exp(-r.association() * fa / associationScale));
    }

    /** Experience and fusion of {@code r} faded by the given factors; association is passed through. */
    private Score evaluate(Relationship r, double fe, double ff, double association) {
        double needsNet = (r.needsMet() - r.needsFailed()) * fe;
        // scale-free, so fading cannot reopen it; the margin absorbs rounding between arrival orders
        double gate = gateClosed(r) ? 0 : 1;
        double raw = wNeeds * needsNet + wEase * (r.easeGood() - r.easeBad()) * fe + wDelight * gate * r.delight() * fe;
        double brandSide = logistic((experienceToBrand * raw + r.brandGives() * ff) / sideScale);
        double consumerSide = logistic(r.consumerGives() * ff / sideScale);
        return new Score(
                50 + 50 * tanh(raw / experienceScale),
                raw,
                100 * Math.sqrt(brandSide * consumerSide),
                brandSide,
                consumerSide,
                association);
    }

    private double associationAt(Relationship r, Instant t) {
        long dt = Math.max(0, t.toEpochMilli() - r.asOfMillis());
        return 1 - Math.exp(-r.association() * decay.association(dt) / associationScale);
    }

    /**
     * Adds contributions at time {@code t}: a state behind t is carried forward first; a state
     * already past t (a late event) takes the contributions weighted by how much they would have
     * faded by then, which is what makes the result independent of arrival order.
     */
    private Relationship add(
            Relationship r,
            Instant t,
            List<Contribution> cs,
            double consumerExtra,
            double association,
            long events,
            double money) {
        long tm = t.toEpochMilli();
        long dt = tm - r.asOfMillis();
        // carried forward (dt > 0): old sums fade; late (dt < 0): new points fade instead
        double oe = dt > 0 ? decay.experience(dt) : 1, of = dt > 0 ? decay.fusion(dt) : 1;
        double oa = dt > 0 ? decay.association(dt) : 1;
        double ne = dt < 0 ? decay.experience(-dt) : 1, nf = dt < 0 ? decay.fusion(-dt) : 1;
        double na = dt < 0 ? decay.association(-dt) : 1;
        double nm = 0, nfl = 0, eg = 0, eb = 0, d = 0, bg = 0, cg = consumerExtra;
        for (int i = 0; i < cs.size(); i++) {
            Contribution c = cs.get(i);
            switch (c.target()) {
                case NEEDS_MET -> nm += c.points();
                case NEEDS_FAILED -> nfl += c.points();
                case EASE_GOOD -> eg += c.points();
                case EASE_BAD -> eb += c.points();
                case DELIGHT -> d += c.points();
                case BRAND_GIVES -> bg += c.points();
                case CONSUMER_GIVES -> cg += c.points();
            }
        }
        long asOf = dt > 0 ? tm : r.asOfMillis();
        long first = firstSeen(r.events(), r.firstSeenMillis(), events, tm);
        // every sum is held within Bounds.MAX_SUM: no number of events can make one infinite
        return new Relationship(
                r.party(),
                r.brand(),
                asOf,
                sum(r.needsMet() * oe + nm * ne),
                sum(r.needsFailed() * oe + nfl * ne),
                sum(r.easeGood() * oe + eg * ne),
                sum(r.easeBad() * oe + eb * ne),
                sum(r.delight() * oe + d * ne),
                sum(r.brandGives() * of + bg * nf),
                sum(r.consumerGives() * of + cg * nf),
                sum(r.association() * oa + association * na),
                r.events() + events,
                sum(r.money() + money),
                first);
    }

    /**
     * The earliest interaction of two sets of them, either possibly empty: a time of a set without
     * interactions (a pair only associated through co-parties, a propagated incident) counts only
     * while no interaction is known, so the result does not depend on arrival order.
     */
    private static long firstSeen(long eventsA, long firstA, long eventsB, long firstB) {
        if ((eventsA > 0) != (eventsB > 0)) {
            return eventsA > 0 ? firstA : firstB;
        }
        return Math.min(firstA, firstB);
    }

    private LedgerEntry entry(
            Relationship before,
            Relationship after,
            Instant t,
            String eventId,
            LedgerEntry.Kind kind,
            List<Contribution> cs,
            String note) {
        long dt = Math.max(0, t.toEpochMilli() - before.asOfMillis());
        Score was = evaluate(before, 1, 1, Double.NaN);
        Score faded = dt == 0 ? was : evaluate(before, decay.experience(dt), decay.fusion(dt), Double.NaN);
        Score now = evaluate(after, 1, 1, Double.NaN);
        // "before" is the pair just before the event, faded to its instant: the entry's change is the
        // event's own, and the fading since the last change is reported on its own line
        return new LedgerEntry(
                after.party(),
                after.brand(),
                t,
                eventId,
                kind,
                faded.experience(),
                now.experience(),
                faded.fusion(),
                now.fusion(),
                faded.fusion() - was.fusion(),
                gateClosed(after) ? gated(cs) : cs,
                note);
    }

    /** True while needs are failing: delight then adds nothing to the experience. */
    private static boolean gateClosed(Relationship r) {
        return r.needsMet() - r.needsFailed() < -1e-9 * (r.needsMet() + r.needsFailed());
    }

    /** Delight the pyramid gated out, marked so: its memory is kept and counts once needs recover. */
    private static List<Contribution> gated(List<Contribution> cs) {
        if (cs.stream().noneMatch(c -> c.target() == Target.DELIGHT)) {
            return cs;
        }
        return cs.stream()
                .map(c -> c.target() == Target.DELIGHT ? c.gatedOut() : c)
                .toList();
    }

    /** The rules' findings for one event. */
    private static final class Collected implements ScoringRule.Sink {
        final List<Contribution> direct = new ArrayList<>(4);
        double spreading;
        String spreadingDetail = "";

        @Override
        public void add(String rule, Target target, double points, String detail) {
            direct.add(new Contribution(rule, target, points, detail));
        }

        @Override
        public void addSpreading(String rule, double consumerPoints, String detail) {
            spreading += consumerPoints;
            spreadingDetail = spreadingDetail.isEmpty() ? detail : spreadingDetail + ", " + detail;
            direct.add(new Contribution(rule, Target.CONSUMER_GIVES, consumerPoints, detail));
        }

        List<Contribution> all() {
            return direct;
        }

        String spreadingDetail() {
            return spreadingDetail;
        }
    }

    /** tanh through the intrinsic exp: StrictMath.tanh is several times slower on the hot path. */
    private static double tanh(double x) {
        if (x > 20) return 1;
        if (x < -20) return -1;
        double e = Math.exp(2 * x);
        return (e - 1) / (e + 1);
    }

    private static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
