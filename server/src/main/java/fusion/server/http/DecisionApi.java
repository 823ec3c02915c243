package fusion.server.http;

import fusion.core.model.InvalidInput;
import fusion.decisions.ActionSpec;
import fusion.decisions.ConsentVerdict;
import fusion.decisions.UpliftEstimate;
import fusion.decisions.UpliftOutcome;
import fusion.decisions.delivery.DeliveryOutcomes;
import fusion.server.access.AccessControl;
import fusion.server.access.Credentials;
import fusion.server.access.Forbidden;
import fusion.server.access.Role;
import fusion.server.audiences.AudienceService;
import fusion.server.decisions.HoldoutUplift;
import fusion.server.decisions.NextBestActions;
import fusion.server.decisions.OutcomeCalls;
import fusion.store.DecisionRecords.DecisionRecord;
import fusion.store.DecisionRecords.DeliveryRecord;
import fusion.store.DecisionRecords.DeliveryStatus;
import fusion.store.DecisionRecords.Outcome;
import fusion.store.IngestResult;
import fusion.store.ProfileView;
import fusion.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The next best action over HTTP (docs/DECISIONS.md): decide for a person, read their decisions,
 * the dead letters and their re-send (under {@code /api}, with roles and the audit log), and the
 * receivers' outcome callbacks under {@code /v1/outcomes}, authenticated with a write key like
 * ingestion.
 */
final class DecisionApi {
    private final Store store;
    private final NextBestActions actions;
    private final AccessControl access;
    private final Clock clock;
    private final AudienceService audiences;

    DecisionApi(Store store, NextBestActions actions, AccessControl access, Clock clock, AudienceService audiences) {
        this.store = store;
        this.actions = actions;
        this.access = access;
        this.clock = clock;
        this.audiences = audiences;
    }

    void register(RoutesConfig r) {
        r.post(
                "/api/decisions",
                ctx -> {
                    Json body = Json.body(ctx.body());
                    String id = body.required("profile");
                    ProfileView p =
                            store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
                    Guard.audit(ctx, "decide", p.id());
                    var outcome = actions.decide(
                            p,
                            body.text("brand").orElse(actions.brand()),
                            body.instant("at").orElseGet(clock::instant));
                    Map<String, Object> out = decision(outcome.decision());
                    out.put("delivery", outcome.delivery());
                    ctx.json(out);
                },
                Role.OPERATOR);
        r.get(
                "/api/profiles/{id}/decisions",
                ctx -> {
                    String id = ctx.pathParam("id");
                    ProfileView p =
                            store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
                    Guard.audit(ctx, "read decisions", p.id());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("profile", p.id());
                    out.put("decisions", decisionsOf(store, p.id()));
                    ctx.json(out);
                },
                Role.ANALYST);
        r.get(
                "/api/deliveries",
                ctx -> {
                    String status =
                            Optional.ofNullable(ctx.queryParam("status")).orElse("dead");
                    DeliveryStatus wanted = Arrays.stream(DeliveryStatus.values())
                            .filter(s -> s.label().equals(status))
                            .findFirst()
                            .orElseThrow(() -> new InvalidInput(
                                    "status",
                                    "expected dead, delivered, sending or resending but was '" + status + "'"));
                    Guard.audit(ctx, "list deliveries " + status, null);
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (DeliveryRecord d : store.decisions().deliveries(wanted, 1000)) out.add(delivery(d));
                    ctx.json(Map.of("status", status, "deliveries", out));
                },
                Role.OPERATOR);
        r.post(
                "/api/deliveries/{id}/resend",
                ctx -> {
                    String key = ctx.pathParam("id");
                    DeliveryRecord d = store.decisions()
                            .delivery(key)
                            .filter(x -> x.status() == DeliveryStatus.DEAD)
                            .orElseThrow(() -> new HttpApi.NotFound("no dead letter '" + key + "'"));
                    Guard.audit(ctx, "resend " + key, d.profile());
                    ConsentVerdict v = actions.resend(key)
                            .orElseThrow(() -> new HttpApi.NotFound("no dead letter '" + key + "' to re-send"));
                    if (!v.allowed()) throw new Forbidden("consent.withheld", "not re-sent: " + v.reason());
                    ctx.status(202)
                            .json(Map.of(
                                    "key", key, "status", DeliveryStatus.RESENDING.label(), "consent", v.reason()));
                },
                Role.OPERATOR);
        r.get("/api/actions", ctx -> ctx.json(Map.of("actions", catalogue())), Role.ANALYST);
        r.get("/api/actions/{id}/uplift", this::uplift, Role.ANALYST);
        r.post("/v1/outcomes", this::outcome);
    }

    /** The catalogue's actions in priority order, each with its holdout (share 0: none). */
    private List<Map<String, Object>> catalogue() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ActionSpec a : actions.catalogue().actions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", a.id());
            m.put("type", a.kind().label());
            m.put("title", a.title());
            m.put("priority", a.priority());
            m.put("purpose", a.purpose().label());
            m.put("channels", a.channels().stream().map(c -> c.label()).toList());
            m.put("audience", a.eligibility().audience());
            m.put("holdout", holdout(a.holdout()));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> holdout(fusion.decisions.Holdout h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("share", h.share());
        m.put("seed", h.seed());
        return m;
    }

    /**
     * {@code GET /api/actions/{id}/uplift?outcome=purchase&days=14[&audience=A]}: treated against
     * held out (docs/DECISIONS.md, "Holdouts").
     */
    private void uplift(Context ctx) {
        String id = ctx.pathParam("id");
        ActionSpec action =
                actions.action(id).orElseThrow(() -> new HttpApi.NotFound("no action '" + id + "' in the catalogue"));
        UpliftOutcome outcome = UpliftOutcome.parse(
                "outcome", Optional.ofNullable(ctx.queryParam("outcome")).orElse("purchase"));
        int days = HoldoutUplift.days(
                "days", Optional.ofNullable(ctx.queryParam("days")).orElse("30"));
        Optional<String> audience =
                Optional.ofNullable(ctx.queryParam("audience")).filter(a -> !a.isBlank());
        Predicate<String> in = audience.<Predicate<String>>map(a -> audiences.members(a)::contains)
                .orElse(p -> true);
        Guard.audit(ctx, "read uplift " + id, null);
        ctx.json(upliftJson(actions.uplift(action, outcome, days, audience, in)));
    }

    static Map<String, Object> upliftJson(HoldoutUplift.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", r.action());
        m.put(
                "holdout",
                Map.of("share", r.holdout().share(), "seed", r.holdout().seed()));
        m.put("outcome", r.outcome().label());
        m.put("meaning", r.outcome().meaning(r.days()));
        m.put("days", r.days());
        m.put("audience", r.audience().orElse(null));
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("from", r.from().orElse(null));
        window.put("to", r.to().orElse(null));
        window.put("measuredAt", r.now());
        window.put(
                "counted",
                "people whose first decision for the action was at least " + r.days() + " days before " + r.now()
                        + ", each from that decision to " + r.days() + " days after it");
        m.put("window", window);
        m.put("treated", arm(r.treated(), r.treatedFigure()));
        m.put("heldOut", arm(r.heldOut(), r.heldOutFigure()));
        m.put("pending", r.pending());
        m.put("notInAudience", r.notInAudience());
        Map<String, Object> u = null;
        if (r.estimate() instanceof UpliftEstimate.Proportions p) {
            u = interval(p.uplift().uplift(), p.uplift().low(), p.uplift().high(), "wald difference of proportions");
        } else if (r.estimate() instanceof UpliftEstimate.Means means) {
            u = interval(
                    means.uplift().uplift(),
                    means.uplift().low(),
                    means.uplift().high(),
                    "welch t");
        }
        m.put("uplift", u);
        m.put("tooFew", r.estimate() instanceof UpliftEstimate.TooFew);
        m.put("sentence", r.estimate().sentence());
        if (r.holdout().share() == 0) {
            m.put(
                    "note",
                    "the action declares no holdout in the catalogue: no one is held out, so there is nothing"
                            + " to compare with");
        }
        return m;
    }

    private static Map<String, Object> arm(long people, java.util.OptionalDouble figure) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("people", people);
        m.put("figure", figure.isPresent() ? figure.getAsDouble() : null);
        return m;
    }

    private static Map<String, Object> interval(double estimate, double low, double high, String method) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimate", estimate);
        m.put("low", low);
        m.put("high", high);
        m.put("level", 0.95);
        m.put("method", method);
        return m;
    }

    /** A receiver's callback, with the write key as Basic user like {@code /v1/batch}. */
    private void outcome(Context ctx) {
        access.source(Credentials.basicUser(ctx.header("Authorization")));
        DeliveryOutcomes.Callback callback = DeliveryOutcomes.parse(ctx.bodyAsBytes());
        ProfileView p = store.profile(callback.customer())
                .orElseThrow(() -> new InvalidInput("customer", "no profile '" + callback.customer() + "'"));
        IngestResult result = store.ingest(List.of(OutcomeCalls.toCall(callback, p, clock.instant())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("accepted", result.accepted());
        out.put("duplicates", result.duplicates());
        out.put("scored", result.scored());
        ctx.json(out);
    }

    static List<Map<String, Object>> decisionsOf(Store store, String profile) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DecisionRecord d : store.decisions().decisionsOf(profile)) out.add(decision(d));
        return out;
    }

    static Map<String, Object> decision(DecisionRecord d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("profile", d.profile());
        m.put("brand", d.brand());
        m.put("outcome", d.outcome().label());
        m.put("decidedAt", d.at());
        if (d.outcome() == Outcome.NOTHING && d.action() != null) m.put("heldOutOf", d.action());
        if (d.outcome() == Outcome.ACT) {
            m.put("action", d.action());
            m.put("type", d.kind());
            m.put("channel", d.channel());
            m.put("purpose", d.purpose());
            m.put("sendAt", d.sendAt());
        }
        m.put("status", d.status().label());
        List<Map<String, String>> reasons = new ArrayList<>();
        for (var r : NextBestActions.reasons(d.reasons())) {
            reasons.add(Map.of("code", r.code().label(), "sentence", r.sentence()));
        }
        Map<String, String> primary = reasons.get(0);
        if (d.outcome() == Outcome.ACT) {
            primary = reasons.stream()
                    .filter(x -> x.get("code").equals("action_chosen"))
                    .findFirst()
                    .orElse(primary);
        }
        m.put("primary", primary);
        m.put("reasons", reasons);
        return m;
    }

    private Map<String, Object> delivery(DeliveryRecord d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", d.key());
        m.put("decisionId", d.decisionId());
        m.put("profile", d.profile());
        m.put("channel", d.channel());
        m.put("status", d.status().label());
        m.put("attempts", d.attempts());
        m.put("lastStatus", d.lastStatus());
        m.put("lastError", d.lastError());
        m.put("updated", d.updated());
        m.put("attemptLog", store.decisions().attempts(d.key()));
        return m;
    }
}
