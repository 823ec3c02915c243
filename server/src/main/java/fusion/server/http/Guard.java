package fusion.server.http;

import fusion.server.access.Forbidden;
import fusion.server.access.Principal;
import fusion.server.access.Role;
import fusion.server.access.Unauthorized;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * Per-request access facts: the authenticated {@link Principal} (set before every {@code /api}
 * route), the role the matched route declares, and what the request did to whom, for the audit log.
 */
final class Guard {
    static final String PRINCIPAL = "fusion.principal";
    static final String ACTION = "fusion.audit.action";
    static final String SUBJECT = "fusion.audit.subject";

    private Guard() {}

    static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) throw new Unauthorized("missing API token: send 'Authorization: Bearer <token>'");
        return p;
    }

    /**
     * 403 unless the caller's role includes the one the matched route was registered with; run
     * before the route's handler, so before anything is looked up. A route under {@code /api}
     * without exactly one {@link Role} never gets here: {@link #declaredRole} refuses it at start.
     */
    static void requireRouteRole(Context ctx) {
        Principal p = principal(ctx);
        Endpoint route = ctx.endpoints().matchedHttpEndpoint();
        Roles roles = route.metadata(Roles.class);
        Role role = declaredRole(route.method + " " + route.path, roles == null ? Set.of() : roles.getRoles());
        if (!p.role().includes(role)) {
            throw new Forbidden(
                    "role",
                    "this needs the " + role.label() + " role; the token '" + p.name() + "' has "
                            + p.role().label());
        }
    }

    /** The one {@link Role} a route declares; an {@link IllegalStateException} naming the route otherwise. */
    static Role declaredRole(String route, Set<RouteRole> roles) {
        if (roles.size() != 1 || !(roles.iterator().next() instanceof Role role)) {
            throw new IllegalStateException("the route " + route + " must declare exactly one role (analyst, operator "
                    + "or admin) but declares " + roles);
        }
        return role;
    }

    /** Records, once the response is sent, that this request did {@code action} to {@code subject}. */
    static void audit(Context ctx, String action, String subject) {
        ctx.attribute(ACTION, action);
        ctx.attribute(SUBJECT, subject);
    }
}
