package fusion.server.access;

import fusion.core.model.InvalidInput;
import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * What an API token may do. Each role includes the ones before it: an analyst reads (scores,
 * profiles, journeys), an operator also acts (records consent, shares, exports audiences,
 * declares brand actions), an admin also manages people's rights and Fusion's users (erasure,
 * subject export, keys, tokens, the audit log).
 *
 * <p>Every {@code /api} route is registered with the one role it needs (Javalin's {@link RouteRole}),
 * and one check before the matched route compares it with the caller's.
 */
public enum Role implements RouteRole {
    ANALYST,
    OPERATOR,
    ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Role parse(String field, String raw) {
        if (raw != null) {
            for (Role r : values()) {
                if (r.label().equalsIgnoreCase(raw.trim())) return r;
            }
        }
        throw new InvalidInput(field, "expected one of analyst, operator, admin but was '" + raw + "'");
    }
}
