package fusion.server.http;

import io.javalin.http.Context;

/**
 * Headers on every response, the dashboard's pages above all. The dashboard holds an admin
 * token, so: scripts, styles and connections from this origin only (its pages have no inline
 * script or style, so no {@code 'unsafe-inline'} is needed), no framing (clickjacking), no MIME
 * sniffing, and no {@code Referer} carrying a page's address (and with it a profile id) to
 * another site.
 */
final class SecurityHeaders {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }
}
