package fusion.server.http;

import fusion.core.model.InvalidInput;
import fusion.server.audiences.AudienceService;
import fusion.store.BrandSummary;
import fusion.store.RelationshipView;
import fusion.store.ServingReads;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ?audience=ID} on the routes that compute figures over people (journey statistics,
 * attribution, brand health, the customer-value fit): the figures are then computed over the
 * audience's members at the moment of the request only (docs/AUDIENCES.md, "Scoping").
 */
record AudienceScope(String audience, Set<String> members) {

    /** The scope the request asks for, or empty when it has no {@code audience}; an unknown audience is a 400. */
    static Optional<AudienceScope> of(Context ctx, AudienceService audiences) {
        String id = ctx.queryParam("audience");
        if (id == null) return Optional.empty();
        if (id.isBlank()) throw new InvalidInput("audience", "expected an audience id but was empty");
        try {
            return Optional.of(new AudienceScope(id, audiences.members(id)));
        } catch (AudienceService.NotFound e) {
            throw new InvalidInput(
                    "audience",
                    "no audience '" + id + "'; defined: "
                            + audiences.list().stream()
                                    .map(AudienceService.Definition::id)
                                    .toList());
        }
    }

    boolean contains(String party) {
        return members.contains(party);
    }

    /**
     * Brand health over the members only: per brand, fusion and experience averaged over the
     * members who have interacted with it, each weighted by {@code 1 + ln(1 + money spent)}, as
     * {@code /api/brands} does over everyone (docs/SCORING.md); only brands with at least one
     * member, in the store's order (our brands, then competitors, each by id).
     */
    List<BrandSummary> brands(ServingReads store, Instant at) {
        Map<String, double[]> sums = new TreeMap<>(); // brand -> weights, fusion, experience, money, consumers, events
        for (String m : members) { // a sorted set: summed in party order within a brand, as the store sums
            for (RelationshipView r : store.relationships(m, at, 0)) {
                if (r.events() <= 0) continue; // an association through others is not a relationship with the brand
                double w = 1 + Math.log1p(Math.max(0, r.money()));
                double[] s = sums.computeIfAbsent(r.brand(), b -> new double[6]);
                s[0] += w;
                s[1] += w * r.fusion();
                s[2] += w * r.experience();
                s[3] += r.money();
                s[4]++;
                s[5] += r.events();
            }
        }
        List<BrandSummary> out = new ArrayList<>();
        for (BrandSummary b : store.brands(at)) {
            double[] s = sums.get(b.id());
            if (s == null) continue;
            out.add(new BrandSummary(
                    b.id(), b.name(), b.competitor(), (long) s[4], (long) s[5], s[3], s[1] / s[0], s[2] / s[0]));
        }
        out.sort(Comparator.comparing(BrandSummary::competitor).thenComparing(BrandSummary::id));
        return out;
    }
}
