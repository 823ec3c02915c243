package fusion.server.http;

import fusion.server.access.Unauthorized;
import fusion.server.access.Forbidden;
import fusion.server.access.Principal;
import fusion.server.access.Role;
import io.javalin.http.Context;

/**
 * Per-request access facts: the authenticated {@link Principal} (set before every {@code /api}
 * route), the role a route needs, and what the request did to whom, for the audit log.
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

    /** 403 unless the caller's role includes {@code role}; checked before anything is looked up. */
    static Principal require(Context ctx, Role role) {
        Principal p = principal(ctx);
        if (!p.role().includes(role)) {
            throw new Forbidden("role", "this needs the " + role.label() + " role; the token '" + p.name() + "' has "
                    + p.role().label());
        }
        return p;
    }

    /** Records, once the response is sent, that this request did {@code action} to {@code subject}. */
    static void audit(Context ctx, String action, String subject) {
        ctx.attribute(ACTION, action);
        ctx.attribute(SUBJECT, subject);
    }
}
