package fusion.core.engine;

import static fusion.core.engine.Parameter.*;

import fusion.core.model.Interaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The scoring engine: a pure, deterministic function from (state, event) to (new state, ledger
 * entries). It reads time only from the event and state only through the {@link StateView}, so
 * the server, a replay and a Flink job given the same events get the same scores.
 *
 * <h2>Experience (seed 002)</h2>
 * Memories sit on three layers: needs, ease, delight. Each layer keeps decayed sums of good and
 * bad memories; the raw experience is
 * {@code wN*(met - failed) + wE*(good - bad) + wD*gate*delight}, where
 * {@code gate = clamp(1 + (met - failed)/tolerance, 0, 1)}: delight counts fully only while
 * needs are not failing and not at all once they fail by more than the tolerance. The score is
 * {@code 50 + 50*tanh(raw/scale)}, so with no new events it relaxes to 50 as the sums halve every
 * half-life. Every term is monotone in its memories, so a positive memory never lowers the score.
 *
 * <h2>Fusion (seed 000)</h2>
 * Two sides: what the brand gives ({@code k*experience + value received}) and what the party
 * gives (purchases, renewals, usage, advocacy weighted by reach, politeness). Each side's health
 * is {@code logistic(points/sideScale)} and the score is {@code 100*sqrt(brand*consumer)}: the
 * geometric mean is high only when both are.
 *
 * <h2>Associations and propagation</h2>
 * Each event adds one to the decayed association count of the pair and of the party with each
 * co-involved party; the strength is {@code 1 - exp(-count/scale)}. A public negative act of a
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
    private final double gateTolerance;
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
        gateTolerance = config.get(NEEDS_GATE_TOLERANCE);
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
        Relationship after = add(before, t, found.direct, 0, 1, 1, event.outcome().money());
        touched.put(brand, after);
        ledger.add(entry(before, after, t, event.id(), LedgerEntry.Kind.EVENT, found.all(), event.description()));

        for (String other : event.coParties()) {
            Relationship r = touched.containsKey(other) ? touched.get(other)
                    : state.relationship(party, other).orElse(Relationship.empty(party, other, t));
            touched.put(other, add(r, t, List.of(), 0, 1, 0, 0));
        }
        if (found.spreading < 0 && maxPropagation > 0) {
            propagate(state, event, found, touched, ledger);
        }
        return new Step(new ArrayList<>(touched.values()), ledger);
    }

    private void propagate(StateView state, Interaction event, Collected found,
                           Map<String, Relationship> touched, List<LedgerEntry> ledger) {
        Instant t = event.time();
        Map<String, Relationship> candidates = new LinkedHashMap<>();
        for (Relationship r : state.relationshipsOf(event.party())) {
            candidates.put(r.brand(), r);
        }
        candidates.putAll(touched);
        candidates.remove(event.brand().id());
        List<Relationship> associated = candidates.values().stream()
                .filter(r -> !r.associationOnly())
                .sorted(Comparator.comparingDouble((Relationship r) -> -associationAt(r, t))
                        .thenComparing(Relationship::brand))
                .limit(maxPropagation)
                .toList();
        for (Relationship r : associated) {
            double strength = associationAt(r, t);
            if (strength <= 0) {
                continue;
            }
            double points = found.spreading * strength;
            String why = String.format(Locale.ROOT, "incident at %s by %s spread here (association %.2f)",
                    event.brand().id(), event.party(), strength);
            Relationship after = add(r, t, List.of(), points, 0, 0, 0);
            touched.put(r.brand(), after);
            List<Contribution> c = List.of(new Contribution("propagation", Target.CONSUMER_GIVES, points,
                    found.spreadingDetail()));
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
        Instant first = a.firstSeen().isBefore(b.firstSeen()) ? a.firstSeen() : b.firstSeen();
        Relationship merged = new Relationship(survivor.party(), survivor.brand(), asOf,
                a.needsMet() + b.needsMet(), a.needsFailed() + b.needsFailed(),
                a.easeGood() + b.easeGood(), a.easeBad() + b.easeBad(), a.delight() + b.delight(),
                a.brandGives() + b.brandGives(), a.consumerGives() + b.consumerGives(),
                a.association() + b.association(), a.events() + b.events(), a.money() + b.money(), first);
        List<LedgerEntry> ledger = merged.associationOnly() ? List.of()
                : List.of(entry(survivor, merged, at, eventId, LedgerEntry.Kind.MERGE, List.of(), note));
        return new Step(List.of(merged), ledger);
    }

    /** The pair's scores at {@code at} (its sums faded to then; never rewound). */
    public Score score(Relationship r, Instant at) {
        Relationship s = decay.advance(r, at);
        double needsNet = s.needsMet() - s.needsFailed();
        double gate = Math.max(0, Math.min(1, 1 + needsNet / gateTolerance));
        double raw = wNeeds * needsNet + wEase * (s.easeGood() - s.easeBad()) + wDelight * gate * s.delight();
        double brandSide = logistic((experienceToBrand * raw + s.brandGives()) / sideScale);
        double consumerSide = logistic(s.consumerGives() / sideScale);
        return new Score(50 + 50 * Math.tanh(raw / experienceScale), raw,
                100 * Math.sqrt(brandSide * consumerSide), brandSide, consumerSide,
                1 - Math.exp(-s.association() / associationScale));
    }

    private double associationAt(Relationship r, Instant t) {
        return score(r, t).association();
    }

    /**
     * Adds contributions at time {@code t}: a state behind t is carried forward first; a state
     * already past t (a late event) takes the contributions weighted by how much they would have
     * faded by then, which is what makes the result independent of arrival order.
     */
    private Relationship add(Relationship r, Instant t, List<Contribution> cs, double consumerExtra,
                             double association, long events, double money) {
        Relationship s = decay.advance(r, t);
        long late = s.asOf().toEpochMilli() - t.toEpochMilli();
        Decay.Factors f = decay.over(Math.max(0, late));
        double nm = 0, nf = 0, eg = 0, eb = 0, d = 0, bg = 0, cg = consumerExtra;
        for (Contribution c : cs) {
            switch (c.target()) {
                case NEEDS_MET -> nm += c.points();
                case NEEDS_FAILED -> nf += c.points();
                case EASE_GOOD -> eg += c.points();
                case EASE_BAD -> eb += c.points();
                case DELIGHT -> d += c.points();
                case BRAND_GIVES -> bg += c.points();
                case CONSUMER_GIVES -> cg += c.points();
            }
        }
        Instant first = t.isBefore(s.firstSeen()) || s.events() == 0 && events > 0 ? t : s.firstSeen();
        return new Relationship(s.party(), s.brand(), s.asOf(),
                s.needsMet() + nm * f.experience(), s.needsFailed() + nf * f.experience(),
                s.easeGood() + eg * f.experience(), s.easeBad() + eb * f.experience(),
                s.delight() + d * f.experience(),
                s.brandGives() + bg * f.fusion(), s.consumerGives() + cg * f.fusion(),
                s.association() + association * f.association(),
                s.events() + events, s.money() + money, first);
    }

    private LedgerEntry entry(Relationship before, Relationship after, Instant t, String eventId,
                              LedgerEntry.Kind kind, List<Contribution> cs, String note) {
        Score was = score(before, before.asOf());
        Score faded = score(before, t);
        Score now = score(after, after.asOf());
        return new LedgerEntry(after.party(), after.brand(), t, eventId, kind,
                was.experience(), now.experience(), was.fusion(), now.fusion(),
                faded.fusion() - was.fusion(), cs, note);
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

    private static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
