package fusion.server.http;

import fusion.core.model.InvalidInput;
import fusion.server.access.Role;
import fusion.store.ProfileView;
import fusion.store.ServingReads;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;

/** The read API: profiles, relationships with their ledgers, timelines, brands. */
final class ReadApi {
    private final ServingReads store;
    private final Clock clock;

    private final java.util.Currency currency;

    private final fusion.server.audiences.AudienceService audiences;

    ReadApi(
            ServingReads store,
            Clock clock,
            java.util.Currency currency,
            fusion.server.audiences.AudienceService audiences) {
        this.store = store;
        this.clock = clock;
        this.currency = currency;
        this.audiences = audiences;
    }

    /** Every route needs at least the analyst role; reads about a person are audited. */
    void register(RoutesConfig r) {
        r.get(
                "/api/stats",
                ctx -> {
                    ctx.json(store.stats());
                },
                Role.ANALYST);
        r.get(
                "/api/display",
                ctx -> {
                    // how the dashboard writes what it shows: the currency of every amount
                    ctx.json(java.util.Map.of("currency", currency.getCurrencyCode()));
                },
                Role.ANALYST);
        r.get(
                "/api/brands",
                ctx -> {
                    Instant at = at(ctx);
                    var scope = AudienceScope.of(ctx, audiences);
                    ctx.json(scope.isPresent() ? scope.get().brands(store, at) : store.brands(at));
                },
                Role.ANALYST);
        r.get(
                "/api/brands/{id}",
                ctx -> {
                    String id = ctx.pathParam("id");
                    Instant at = at(ctx);
                    int days = intParam(ctx, "days", 90, 1, 3660);
                    var scope = AudienceScope.of(ctx, audiences);
                    var brand = scope.isPresent()
                            ? store.brand(id, at, days, scope.get().members())
                            : store.brand(id, at, days);
                    ctx.json(brand.orElseThrow(() -> new HttpApi.NotFound("no brand '" + id + "'")));
                },
                Role.ANALYST);
        r.get(
                "/api/profiles",
                ctx -> {
                    String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q");
                    Guard.audit(ctx, "search profiles", null);
                    ctx.json(store.searchProfiles(q, intParam(ctx, "limit", 20, 1, 500)));
                },
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}",
                ctx -> {
                    ctx.json(profile(ctx, "read profile"));
                },
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}/relationships",
                ctx -> {
                    String id = profile(ctx, "read relationships").id();
                    ReadTrace.mark(ctx, "profile");
                    var relationships = store.relationships(id, at(ctx), intParam(ctx, "ledger", 10, 0, 1000));
                    ReadTrace.mark(ctx, "relationships");
                    ctx.json(relationships);
                    ReadTrace.mark(ctx, "json");
                },
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}/timeline",
                ctx -> {
                    ctx.json(store.timeline(profile(ctx, "read timeline").id(), intParam(ctx, "limit", 50, 1, 5000)));
                },
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}/ledger",
                ctx -> {
                    String brand = ctx.queryParam("brand");
                    if (brand == null || brand.isBlank())
                        throw new InvalidInput("brand", "query parameter is required");
                    ctx.json(store.ledger(
                            profile(ctx, "read ledger " + brand).id(), brand, intParam(ctx, "limit", 100, 1, 10_000)));
                },
                Role.ANALYST);
    }

    private Instant at(Context ctx) {
        return at(ctx, clock);
    }

    /** {@code ?at=2026-11-24T00:00:00Z} evaluates scores at that instant; default now. */
    static Instant at(Context ctx, Clock clock) {
        String raw = ctx.queryParam("at");
        if (raw == null || raw.isBlank()) return clock.instant();
        return Instants.parse("at", raw);
    }

    private ProfileView profile(Context ctx, String action) {
        String id = ctx.pathParam("id");
        ProfileView p = store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
        Guard.audit(ctx, action, p.id());
        return p;
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < min || v > max) {
                throw new InvalidInput(name, "expected " + min + " to " + max + " but was " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInput(name, "expected a whole number but was '" + raw + "'");
        }
    }
}
