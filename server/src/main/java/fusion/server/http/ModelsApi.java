package fusion.server.http;

import fusion.core.model.InvalidInput;
import fusion.server.access.Principal;
import fusion.server.access.Role;
import fusion.server.models.ActionImpact;
import fusion.server.models.ChurnService;
import fusion.server.models.CustomerValueService;
import fusion.server.models.SurveyService;
import fusion.store.BrandAction;
import fusion.store.ProfileView;
import fusion.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;

/** The models in live use (docs/MODELS.md, "Live use"): customer value, brand actions and their impact. */
final class ModelsApi {
    /** Bounds on a declared brand action's free text, in characters. */
    static final int MAX_NAME = 200, MAX_DESCRIPTION = 2_000;

    private final Store store;
    private final CustomerValueService value;
    private final ActionImpact impact;
    private final ChurnService churn;
    private final SurveyService surveys;
    private final Clock clock;
    private final fusion.server.audiences.AudienceService audiences;

    ModelsApi(
            Store store,
            CustomerValueService value,
            ActionImpact impact,
            ChurnService churn,
            SurveyService surveys,
            fusion.server.audiences.AudienceService audiences,
            Clock clock) {
        this.audiences = audiences;
        this.store = store;
        this.value = value;
        this.impact = impact;
        this.clock = clock;
        this.churn = churn;
        this.surveys = surveys;
    }

    void register(RoutesConfig r) {
        r.get(
                "/api/profiles/{id}/value",
                ctx -> {
                    String id = ctx.pathParam("id");
                    ProfileView p =
                            store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
                    Guard.audit(ctx, "read value", p.id());
                    String b = ctx.queryParam("brand");
                    if (b == null) ctx.json(value.value(p.id()));
                    else ctx.json(value.value(p.id(), knownBrand("brand", b)));
                },
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}/churn",
                ctx -> {
                    String id = ctx.pathParam("id");
                    ProfileView p =
                            store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
                    Guard.audit(ctx, "read churn risk", p.id());
                    String b = ctx.queryParam("brand");
                    if (b == null) ctx.json(java.util.Map.of("profile", p.id(), "brands", churn.risks(p.id())));
                    else ctx.json(churn.risk(p.id(), knownBrand("brand", b)));
                },
                Role.ANALYST);
        r.get(
                "/api/brands/{brand}/churn",
                ctx -> {
                    String b = brand(ctx);
                    int limit = ReadApi.intParam(ctx, "limit", 50, 1, 1000);
                    var scope = AudienceScope.of(ctx, audiences);
                    Guard.audit(
                            ctx,
                            "list churn risks at " + b
                                    + scope.map(a -> " in audience " + a.audience())
                                            .orElse(""),
                            null);
                    ctx.json((scope.isPresent() ? churn.brand(b, limit, scope.get()::contains) : churn.brand(b, limit))
                            .orElseThrow(() -> new HttpApi.NotFound("nobody has interacted with brand '" + b + "'")));
                },
                Role.ANALYST);
        r.get(
                "/api/brands/{brand}/surveys",
                ctx -> {
                    String b = brand(ctx);
                    Guard.audit(ctx, "read survey answers at " + b, null);
                    ctx.json(surveys.report(b));
                },
                Role.ANALYST);
        r.get(
                "/api/brands/{brand}/drivers",
                ctx -> {
                    String b = brand(ctx);
                    String outcome = ctx.queryParam("outcome") == null ? "nps" : ctx.queryParam("outcome");
                    ctx.json(surveys.drivers(b, outcome.trim().toLowerCase(java.util.Locale.ROOT)));
                },
                Role.ANALYST);
        r.get(
                "/api/models/churn",
                ctx -> {
                    ctx.json(churn.fits());
                },
                Role.ANALYST);
        r.post(
                "/api/models/churn/refit",
                ctx -> {
                    ctx.json(churn.refit());
                },
                Role.OPERATOR);
        r.get(
                "/api/models/customer-value",
                ctx -> {
                    String b = ctx.queryParam("brand");
                    var scope = AudienceScope.of(ctx, audiences);
                    var fits = scope.isPresent() ? value.fit(scope.get()::contains) : value.fit();
                    if (b == null) ctx.json(fits);
                    else {
                        String id = knownBrand("brand", b);
                        ctx.json(fits.brand(id)
                                .orElseThrow(() -> new HttpApi.NotFound(
                                        "nobody bought at brand '" + id + "' up to " + fits.calibrationEnd())));
                    }
                },
                Role.ANALYST);
        r.post(
                "/api/models/customer-value/refit",
                ctx -> {
                    ctx.json(value.refit(new PrintStream(OutputStream.nullOutputStream())));
                },
                Role.OPERATOR);
        r.post(
                "/api/brands/{brand}/actions",
                ctx -> {
                    Principal who = Guard.principal(ctx);
                    Json body = Json.body(ctx.body());
                    BrandAction declared = new BrandAction(
                            0,
                            brand(ctx),
                            body.required("name", MAX_NAME),
                            BrandAction.Kind.parse("kind", body.required("kind")),
                            body.instant("starts")
                                    .orElseThrow(() -> new InvalidInput("starts", "is required: an ISO-8601 instant")),
                            body.instant("ends").orElse(null),
                            clock.instant(),
                            who.actor(),
                            body.text("description", MAX_DESCRIPTION).orElse(""));
                    ctx.status(201).json(store.declareAction(declared));
                },
                Role.OPERATOR);
        r.get(
                "/api/brands/{brand}/actions",
                ctx -> {
                    ctx.json(store.actions(brand(ctx)));
                },
                Role.ANALYST);
        r.get(
                "/api/brands/{brand}/actions/{id}/impact",
                ctx -> {
                    long id = actionId(ctx.pathParam("id"));
                    ActionImpact.Metric metric = ActionImpact.Metric.parse(
                            "metric", ctx.queryParam("metric") == null ? "sales" : ctx.queryParam("metric"));
                    int days = ReadApi.intParam(ctx, "days", 14, 1, 365);
                    int pre = ReadApi.intParam(ctx, "pre", 56, ActionImpact.MIN_PRE_DAYS, 730);
                    String b = brand(ctx);
                    BrandAction action = store.action(b, id)
                            .orElseThrow(() -> new HttpApi.NotFound("brand '" + b + "' has no action " + id));
                    ctx.json(impact.estimate(action, metric, days, pre));
                },
                Role.ANALYST);
    }

    /** The brand in the path, which must be one the store knows. */
    private String brand(Context ctx) {
        return knownBrand(null, ctx.pathParam("brand"));
    }

    /** A brand the store knows: a 404 otherwise (a 400 naming {@code field} when it is blank). */
    private String knownBrand(String field, String id) {
        if (field != null && id.isBlank()) throw new InvalidInput(field, "must name a brand");
        boolean known = store.brands(clock.instant()).stream().anyMatch(b -> b.id().equals(id));
        if (!known) throw new HttpApi.NotFound("no brand '" + id + "'");
        return id;
    }

    private static long actionId(String raw) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput("id", "expected an action id (a whole number) but was '" + raw + "'");
        }
    }
}
