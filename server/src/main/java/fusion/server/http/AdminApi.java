package fusion.server.http;

import fusion.core.model.InvalidInput;
import fusion.server.access.AccessControl;
import fusion.server.access.AuditLog;
import fusion.server.access.Role;
import fusion.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;

/** Fusion's users: write keys per source, API tokens with roles, and the audit log. Admin role. */
final class AdminApi {
    private final AccessControl access;
    private final AuditLog audit;
    private final Store store;

    AdminApi(AccessControl access, AuditLog audit, Store store) {
        this.access = access;
        this.audit = audit;
        this.store = store;
    }

    void register(RoutesConfig r) {
        r.post("/api/keys", ctx -> {
            Guard.require(ctx, Role.ADMIN);
            var issued = access.issueWriteKey(Json.body(ctx.body()).required("source"));
            Guard.audit(ctx, "issue write key " + issued.id() + " for " + issued.name(), null);
            ctx.status(201).json(issued);
        });
        r.get("/api/keys", ctx -> {
            Guard.require(ctx, Role.ADMIN);
            ctx.json(access.list(AccessControl.WRITE));
        });
        r.delete("/api/keys/{id}", ctx -> revoke(ctx, "write key", "w_"));
        r.post("/api/tokens", ctx -> {
            Guard.require(ctx, Role.ADMIN);
            Json body = Json.body(ctx.body());
            var issued = access.issueToken(body.required("name"), Role.parse("role", body.required("role")));
            Guard.audit(ctx, "issue " + issued.role() + " token " + issued.id() + " to " + issued.name(), null);
            ctx.status(201).json(issued);
        });
        r.get("/api/tokens", ctx -> {
            Guard.require(ctx, Role.ADMIN);
            ctx.json(access.list(AccessControl.TOKEN));
        });
        r.delete("/api/tokens/{id}", ctx -> revoke(ctx, "token", "t_"));
        r.get("/api/audit", ctx -> {
            Guard.require(ctx, Role.ADMIN);
            audit.sync();
            ctx.json(store.access().audit(ctx.queryParam("actor"), ctx.queryParam("subject"),
                    instant(ctx, "since"), instant(ctx, "until"), ReadApi.intParam(ctx, "limit", 100, 1, 10_000)));
        });
    }

    private void revoke(Context ctx, String what, String prefix) {
        Guard.require(ctx, Role.ADMIN);
        String id = ctx.pathParam("id");
        if (!id.startsWith(prefix) || !access.revoke(id)) throw new HttpApi.NotFound("no active " + what + " '" + id + "'");
        Guard.audit(ctx, "revoke " + what + " " + id, null);
        ctx.status(204);
    }

    private static Instant instant(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        return Instants.parse(name, raw);
    }
}
