package fusion.server.http;

import fusion.server.access.AccessControl;
import fusion.server.access.AuditLog;
import fusion.server.access.Credentials;
import fusion.server.access.Role;
import fusion.store.Access;
import fusion.store.ProfileView;
import fusion.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fusion's users: write keys per source, API tokens with roles, and the audit log. Admin role. */
final class AdminApi {
    private final AccessControl access;
    private final AuditLog audit;
    private final Store store;
    private final Credentials bootstrap;

    AdminApi(AccessControl access, AuditLog audit, Store store, Credentials bootstrap) {
        this.access = access;
        this.audit = audit;
        this.store = store;
        this.bootstrap = bootstrap;
    }

    /**
     * The bootstrap write key or admin token as listed: no secret, marked {@code bootstrap}, with
     * where it is configured ({@code FUSION_WRITE_KEY}, or the secrets file's path). It cannot be
     * revoked through the API: it is changed where it is configured.
     */
    record Bootstrap(
            String id,
            String kind,
            String name,
            String role,
            Instant created,
            Instant revoked,
            boolean bootstrap,
            String from) {}

    void register(RoutesConfig r) {
        r.post(
                "/api/keys",
                ctx -> {
                    var issued = access.issueWriteKey(Json.body(ctx.body()).required("source"));
                    Guard.audit(ctx, "issue write key " + issued.id() + " for " + issued.name(), null);
                    ctx.status(201).json(issued);
                },
                Role.ADMIN);
        r.get(
                "/api/keys",
                ctx -> {
                    List<Object> keys = new ArrayList<>();
                    keys.add(new Bootstrap(
                            "bootstrap",
                            Access.Kind.WRITE.label(),
                            "default",
                            "source",
                            null,
                            null,
                            true,
                            bootstrap.writeKeyFrom()));
                    keys.addAll(access.list(Access.Kind.WRITE));
                    ctx.json(keys);
                },
                Role.ADMIN);
        r.delete("/api/keys/{id}", ctx -> revoke(ctx, "write key", "w_"), Role.ADMIN);
        r.post(
                "/api/tokens",
                ctx -> {
                    Json body = Json.body(ctx.body());
                    var issued = access.issueToken(body.required("name"), Role.parse("role", body.required("role")));
                    Guard.audit(ctx, "issue " + issued.role() + " token " + issued.id() + " to " + issued.name(), null);
                    ctx.status(201).json(issued);
                },
                Role.ADMIN);
        r.get(
                "/api/tokens",
                ctx -> {
                    List<Object> tokens = new ArrayList<>();
                    tokens.add(new Bootstrap(
                            "bootstrap",
                            Access.Kind.TOKEN.label(),
                            "bootstrap admin",
                            "admin",
                            null,
                            null,
                            true,
                            bootstrap.adminTokenFrom()));
                    tokens.addAll(access.list(Access.Kind.TOKEN));
                    ctx.json(tokens);
                },
                Role.ADMIN);
        r.delete("/api/tokens/{id}", ctx -> revoke(ctx, "token", "t_"), Role.ADMIN);
        r.get(
                "/api/audit",
                ctx -> {
                    audit.sync();
                    String actor = ctx.queryParam("actor");
                    Instant since = instant(ctx, "since");
                    Instant until = instant(ctx, "until");
                    int limit = ReadApi.intParam(ctx, "limit", 100, 1, 10_000);
                    String subject = ctx.queryParam("subject");
                    if (subject == null || subject.isBlank()) {
                        ctx.json(store.access().audit(actor, null, since, until, limit));
                        return;
                    }
                    // any of the person's identities names the person: gather the entries of every one of them
                    Map<Long, Access.AuditEntry> entries = new HashMap<>();
                    for (String id : identitiesOf(subject.trim())) {
                        for (Access.AuditEntry e : store.access().audit(actor, id, since, until, limit))
                            entries.put(e.id(), e);
                    }
                    ctx.json(entries.values().stream()
                            .sorted(Comparator.comparing(Access.AuditEntry::at)
                                    .thenComparing(Access.AuditEntry::id)
                                    .reversed())
                            .limit(limit)
                            .toList());
                },
                Role.ADMIN);
    }

    /**
     * Every id the audit may name a person by: the profile id, the ids of the profiles merged into
     * it, each of their identities (user ids, anonymous ids: reads are audited under the profile
     * id, refused attempts under the id that was asked for), and the id asked for; the id alone
     * when no profile answers to it (an erased person's "erased #3").
     */
    private Set<String> identitiesOf(String subject) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(subject);
        store.profile(subject).ifPresent(p -> {
            ids.add(p.id());
            p.merges().stream().filter(ProfileView.MergeView::merged).forEach(m -> ids.add(m.absorbed()));
            for (String identity : p.identities()) {
                int colon = identity.indexOf(':');
                ids.add(colon < 0 ? identity : identity.substring(colon + 1)); // "user:ana" is asked for as "ana"
            }
        });
        return ids;
    }

    private void revoke(Context ctx, String what, String prefix) {
        String id = ctx.pathParam("id");
        if (!id.startsWith(prefix) || !access.revoke(id))
            throw new HttpApi.NotFound("no active " + what + " '" + id + "'");
        Guard.audit(ctx, "revoke " + what + " " + id, null);
        ctx.status(204);
    }

    private static Instant instant(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        return Instants.parse(name, raw);
    }
}
