package fusion.server.http;

import fusion.core.model.InvalidInput;
import fusion.decisions.ConsentVerdict;
import fusion.decisions.delivery.DeliveryOutcomes;
import fusion.server.access.AccessControl;
import fusion.server.access.Credentials;
import fusion.server.access.Forbidden;
import fusion.server.access.Role;
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

    DecisionApi(Store store, NextBestActions actions, AccessControl access, Clock clock) {
        this.store = store;
        this.actions = actions;
        this.access = access;
        this.clock = clock;
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
        r.post("/v1/outcomes", this::outcome);
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
