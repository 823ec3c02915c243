package fusion.server.influence;

import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import fusion.models.influence.BrandInfluence;
import fusion.models.influence.BrandInfluence.Influence;
import fusion.models.influence.BrandInfluence.Kind;
import fusion.models.influence.BrandInfluence.Link;
import fusion.models.influence.BrandInfluence.Purchase;
import fusion.store.Interactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each party's influence on each brand, live (seed 000; docs/MODELS-CAUSAL.md, "Influencers"):
 * {@link BrandInfluence} over the store's interactions. What counts:
 *
 * <ul>
 *   <li>a <b>push</b>: advocacy, or commentary with a positive sentiment, with an audience
 *       ({@code reach} > 0): a post, a shared photo, a product worn on stage before followers;
 *   <li>a <b>sighting</b>: advocacy without an audience of the party's own on a public channel
 *       ({@code event}, {@code social}): a product worn at a premiere that others photographed;
 *   <li>a <b>purchase</b>: any interaction with money paid to the brand.
 * </ul>
 *
 * The analysis runs again on the first read after a committed batch, over every interaction
 * (the whole log, attributed to profiles as merged now), and is kept until the next batch.
 */
public final class InfluenceService implements Interactions.Listener {
    private final Interactions store;
    private final BrandInfluence.Settings settings;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private volatile Snapshot current;

    /** A result and the batch generation it was computed at. */
    private record Snapshot(long generation, List<Influence> influence) {}

    public InfluenceService(Interactions store, BrandInfluence.Settings settings) {
        this.store = store;
        this.settings = settings;
        store.listen(this);
    }

    public BrandInfluence.Settings settings() {
        return settings;
    }

    /** Every party linked to {@code brand}: influencers first (active, then passive), then by p-value. */
    public List<Influence> ofBrand(String brand) {
        return all().stream()
                .filter(i -> i.brand().equals(brand))
                .sorted(InfluenceService::strongestFirst)
                .toList();
    }

    /** The party's influence on each brand it is linked to. */
    public List<Influence> ofParty(String party) {
        return all().stream()
                .filter(i -> i.party().equals(party))
                .sorted(InfluenceService::strongestFirst)
                .toList();
    }

    private static int strongestFirst(Influence a, Influence b) {
        int byRole = a.role().compareTo(b.role());
        if (byRole != 0) return byRole;
        return Double.compare(best(a), best(b));
    }

    private static double best(Influence i) {
        double p = Math.min(
                Double.isNaN(i.afterPushes().p()) ? 1 : i.afterPushes().p(),
                Double.isNaN(i.afterSightings().p()) ? 1 : i.afterSightings().p());
        return p;
    }

    private List<Influence> all() {
        long g = generation.get();
        Snapshot s = current;
        if (s != null && s.generation() == g) return s.influence();
        synchronized (this) {
            s = current;
            if (s != null && s.generation() == g) return s.influence();
            // a batch committed while computing bumps the generation: the next read computes again
            List<Influence> computed = compute();
            current = new Snapshot(g, computed);
            return computed;
        }
    }

    private List<Influence> compute() {
        List<Link> links = new ArrayList<>();
        List<Purchase> purchases = new ArrayList<>();
        store.forEachInteraction(e -> {
            link(e).ifPresent(links::add);
            if (e.outcome().money() > 0) {
                purchases.add(new Purchase(e.party(), e.brand().id(), e.time().getEpochSecond()));
            }
        });
        return BrandInfluence.analyse(links, purchases, settings);
    }

    /** The interaction as a push or a sighting, when it is one. */
    static Optional<Link> link(Interaction e) {
        Outcome o = e.outcome();
        double sentiment = o.hasSentiment() ? o.sentiment() : e.purpose() == Purpose.ADVOCACY ? 1 : 0;
        boolean speaks = e.purpose() == Purpose.ADVOCACY || e.purpose() == Purpose.COMMENTARY;
        if (!speaks || sentiment <= 0) return Optional.empty();
        Channel channel = e.contactPoint().channel();
        Kind kind;
        if (o.reach() > 0) {
            kind = Kind.PUSH;
        } else if (e.purpose() == Purpose.ADVOCACY && (channel == Channel.EVENT || channel == Channel.SOCIAL)) {
            kind = Kind.SIGHTING;
        } else {
            return Optional.empty();
        }
        String words = e.description().isEmpty()
                ? e.purpose().label() + " at " + e.contactPoint().id()
                : e.description();
        return Optional.of(
                new Link(e.id(), e.party(), e.brand().id(), e.time().getEpochSecond(), kind, o.reach(), words));
    }

    @Override
    public void committed(List<Interaction> interactions, boolean merged) {
        generation.incrementAndGet();
    }

    @Override
    public void rebuilt() {
        generation.incrementAndGet();
    }
}
