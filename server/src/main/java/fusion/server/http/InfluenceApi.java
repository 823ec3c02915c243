package fusion.server.http;

import fusion.core.model.InvalidInput;
import fusion.models.influence.BrandInfluence;
import fusion.server.access.Role;
import fusion.server.influence.InfluenceService;
import fusion.store.ProfileView;
import fusion.store.ServingReads;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Influencers per brand and a profile's influence (docs/MODELS-CAUSAL.md, "Influencers live"). */
final class InfluenceApi {
    private final ServingReads store;
    private final InfluenceService influence;
    private final Clock clock;

    InfluenceApi(ServingReads store, InfluenceService influence, Clock clock) {
        this.store = store;
        this.influence = influence;
        this.clock = clock;
    }

    /** The answer: the settings the roles were decided with, and one row per party. */
    record Answer(
            String brand,
            double windowDays,
            long notableReach,
            double falseDiscoveryRate,
            int total,
            List<Row> influencers) {}

    /** One party's influence on one brand, with its evidence. */
    record Row(
            String party,
            String brand,
            String role,
            int pushes,
            long reach,
            int sightings,
            Lift afterPushes,
            Lift afterSightings,
            List<Evidence> evidence) {}

    /**
     * The brand's share of others' purchases inside the party's windows over outside them; the
     * numbers are null when there is nothing to compare (no clean exposure of that kind).
     */
    record Lift(
            int exposures,
            int leftOut,
            long inside,
            long insideOther,
            long outside,
            long outsideOther,
            Double ratio,
            Double lower,
            Double upper,
            Double p,
            boolean significant) {
        static Lift of(BrandInfluence.Lift l) {
            return new Lift(
                    l.exposures(),
                    l.left(),
                    l.inside(),
                    l.insideOther(),
                    l.outside(),
                    l.outsideOther(),
                    finite(l.ratio()),
                    finite(l.lower()),
                    finite(l.upper()),
                    finite(l.p()),
                    l.significant());
        }

        private static Double finite(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }

    /** A push or a sighting. */
    record Evidence(String id, Instant time, String kind, long reach, String description) {}

    void register(RoutesConfig r) {
        r.get(
                "/api/influencers",
                ctx -> {
                    String brand = ctx.queryParam("brand");
                    if (brand == null || brand.isBlank()) {
                        throw new InvalidInput("brand", "query parameter is required (a brand id, e.g. glitter)");
                    }
                    boolean known = store.brands(clock.instant()).stream().anyMatch(b -> b.id().equals(brand));
                    if (!known) throw new HttpApi.NotFound("no brand '" + brand + "'");
                    int limit = ReadApi.intParam(ctx, "limit", 50, 1, 500);
                    Guard.audit(ctx, "read influencers of " + brand, null);
                    List<BrandInfluence.Influence> all = influence.ofBrand(brand);
                    ctx.json(answer(brand, all.size(), all.stream().limit(limit).toList()));
                },
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}/influence",
                ctx -> {
                    String id = ctx.pathParam("id");
                    ProfileView p =
                            store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
                    Guard.audit(ctx, "read influence", p.id());
                    List<BrandInfluence.Influence> all = influence.ofParty(p.id());
                    ctx.json(answer(null, all.size(), all));
                },
                Role.ANALYST);
    }

    private Answer answer(String brand, int total, List<BrandInfluence.Influence> shown) {
        BrandInfluence.Settings s = influence.settings();
        return new Answer(
                brand,
                s.window() / 86_400.0,
                s.notableReach(),
                s.falseDiscoveryRate(),
                total,
                shown.stream().map(InfluenceApi::row).toList());
    }

    private static Row row(BrandInfluence.Influence i) {
        return new Row(
                i.party(),
                i.brand(),
                ROLES.get(i.role().name()),
                i.pushes(),
                i.reach(),
                i.sightings(),
                Lift.of(i.afterPushes()),
                Lift.of(i.afterSightings()),
                i.evidence().stream()
                        .map(l -> new Evidence(
                                l.id(),
                                Instant.ofEpochSecond(l.time()),
                                l.kind().name().toLowerCase(java.util.Locale.ROOT),
                                l.reach(),
                                l.evidence()))
                        .toList());
    }

    private static final Map<String, String> ROLES =
            Map.of("ACTIVE", "active", "PASSIVE", "passive", "NO_DETECTABLE_EFFECT", "no detectable effect");
}
