package fusion.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.model.InvalidInput;
import fusion.server.access.Role;
import fusion.server.audiences.AudienceService;
import fusion.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Audiences over HTTP (docs/AUDIENCES.md): define, validate, preview, members with paging, history.
 * Reading definitions and sizes is for analysts; saving, deleting and listing members (an export of
 * people) for operators.
 */
final class AudienceApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SAMPLE = 10;

    private final Store store;
    private final AudienceService audiences;

    AudienceApi(Store store, AudienceService audiences) {
        this.store = store;
        this.audiences = audiences;
    }

    void register(RoutesConfig r) {
        r.get(
                "/api/audiences/rules",
                ctx -> ctx.json(audiences.list().stream().map(this::withSize).toList()),
                Role.ANALYST);
        r.post(
                "/api/audiences/rules",
                ctx -> {
                    JsonNode body = body(ctx);
                    var d = audiences.save(text(body, "id"), text(body, "name"), rule(body));
                    Guard.audit(ctx, "define audience " + d.id(), null);
                    ctx.status(HttpStatus.CREATED).json(withSize(d));
                },
                Role.OPERATOR);
        r.post(
                "/api/audiences/validate",
                ctx -> {
                    JsonNode body = body(ctx);
                    String id = text(body, "id");
                    ctx.json(Map.of(
                            "valid",
                            true,
                            "definition",
                            audiences.validate(id == null ? "unsaved" : id, text(body, "name"), rule(body))));
                },
                Role.ANALYST);
        r.post("/api/audiences/preview", ctx -> ctx.json(audiences.preview(rule(body(ctx)), SAMPLE)), Role.ANALYST);
        r.get(
                "/api/audiences/rules/{id}",
                ctx -> ctx.json(withSize(audiences.definition(ctx.pathParam("id")))),
                Role.ANALYST);
        r.delete(
                "/api/audiences/rules/{id}",
                ctx -> {
                    audiences.delete(ctx.pathParam("id"));
                    Guard.audit(ctx, "delete audience " + ctx.pathParam("id"), null);
                    ctx.status(HttpStatus.NO_CONTENT);
                },
                Role.OPERATOR);
        r.get(
                "/api/audiences/rules/{id}/members",
                ctx -> {
                    var page = audiences.members(
                            ctx.pathParam("id"),
                            ReadApi.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                            ReadApi.intParam(ctx, "limit", 100, 1, AudienceService.MAX_PAGE));
                    Guard.audit(ctx, "list audience " + page.audience(), null);
                    ctx.json(page);
                },
                Role.OPERATOR);
        r.get(
                "/api/audiences/rules/{id}/history",
                ctx -> ctx.json(audiences.history(
                        ctx.pathParam("id"), ReadApi.intParam(ctx, "changes", 100, 0, AudienceService.MAX_CHANGES))),
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}/audiences",
                ctx -> {
                    String id = ctx.pathParam("id");
                    var p = store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
                    Guard.audit(ctx, "read audiences", p.id());
                    ctx.json(audiences.of(p.id()));
                },
                Role.ANALYST);
    }

    private Map<String, Object> withSize(AudienceService.Definition d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("name", d.name());
        out.put("rule", d.rule());
        out.put("timeBased", d.timeBased());
        out.put("refreshEverySeconds", AudienceService.REFRESH_EVERY.toSeconds());
        out.put("dependsOn", d.dependsOn());
        out.put("createdAt", d.createdAt());
        out.put("updatedAt", d.updatedAt());
        var newest = audiences.history(d.id(), 1);
        out.put("size", newest.size());
        out.put(
                "lastChange",
                newest.changes().isEmpty() ? null : newest.changes().get(0).at());
        return out;
    }

    private static JsonNode body(Context ctx) {
        String raw = ctx.body();
        if (raw == null || raw.isBlank())
            throw new InvalidInput("body", "send {\"id\": ..., \"name\": ..., \"rule\": {...}}");
        try {
            JsonNode n = MAPPER.readTree(raw);
            if (!n.isObject()) throw new MalformedInput("the body must be a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw new MalformedInput("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode rule(JsonNode body) {
        JsonNode rule = body.get("rule");
        if (rule == null) throw new InvalidInput("rule", "is required: a rule object (docs/AUDIENCES.md)");
        return rule;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new InvalidInput(field, "expected a string but was " + v);
        return v.asText();
    }
}
