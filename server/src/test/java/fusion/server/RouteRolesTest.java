package fusion.server;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.server.access.Role;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code /api} route is registered with the one role it needs, and the one check before the
 * matched route enforces it: walked over every route the running server registered, not a list
 * kept beside the code. A hand-written table of the most sensitive routes is a second witness.
 */
class RouteRolesTest {
    /** Written by hand from docs/SECURITY.md, not read from the code. */
    private static final Map<String, Role> SENSITIVE = Map.of(
            "DELETE /api/profiles/{id}", Role.ADMIN,
            "GET /api/audit", Role.ADMIN,
            "POST /api/keys", Role.ADMIN,
            "POST /api/decisions", Role.OPERATOR,
            "POST /api/ideas/{id}/status", Role.OPERATOR,
            "POST /api/audiences/destinations", Role.ADMIN,
            "POST /api/audiences/destinations/{id}/export", Role.OPERATOR,
            "GET /api/profiles/{id}", Role.ANALYST);

    @TempDir
    static Path dir;

    static Running s;
    static String analyst;
    static String operator;

    @BeforeAll
    static void start() {
        s = new Running(dir);
        analyst = issue("ana", "analyst");
        operator = issue("otto", "operator");
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    private static String issue(String name, String role) {
        var r = s.call("POST", "/api/tokens", Running.ADMIN, "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().get("secret").asText();
    }

    /** "METHOD /api/path" of every HTTP route under /api, with the roles it was registered with. */
    private static Map<String, Set<?>> apiRoutes() {
        Map<String, Set<?>> routes = new LinkedHashMap<>();
        for (ParsedEndpoint parsed : s.server.http().unsafe.internalRouter.allHttpHandlers()) {
            Endpoint e = parsed.endpoint;
            if (e.method.isHttpMethod() && e.path.startsWith("/api")) {
                Roles roles = e.metadata(Roles.class);
                routes.put(e.method + " " + e.path, roles == null ? Set.of() : roles.getRoles());
            }
        }
        return routes;
    }

    private static Role roleOf(Set<?> roles) {
        return (Role) roles.iterator().next();
    }

    private static Running.Reply call(String route, String token) {
        String[] parts = route.split(" ", 2);
        return s.call(parts[0], parts[1].replaceAll("\\{[^}]+}", "nobody"), token, null);
    }

    @Test
    @DisplayName("issue 13: every /api route the server registered declares exactly one role")
    void everyApiRouteDeclaresExactlyOneRole() {
        Map<String, Set<?>> routes = apiRoutes();
        assertThat(routes).as("the routes under /api").hasSizeGreaterThanOrEqualTo(SENSITIVE.size());
        routes.forEach((route, roles) -> assertThat(roles)
                .as(route)
                .hasSize(1)
                .allSatisfy(r -> assertThat(r).as(route).isInstanceOf(Role.class)));
    }

    @Test
    @DisplayName("issue 13: the hand-written table of sensitive routes matches the roles they are registered with")
    void theSensitiveRoutesDeclareTheRolesOfTheTable() {
        Map<String, Set<?>> routes = apiRoutes();
        SENSITIVE.forEach((route, role) -> assertThat(routes).as(route).containsEntry(route, Set.of(role)));
    }

    @Test
    @DisplayName("issue 13: without a token every /api route answers 401")
    void withoutATokenEveryRouteAnswers401() {
        for (String route : apiRoutes().keySet()) {
            assertThat(call(route, null).status()).as(route).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("issue 13: an analyst token gets 403 naming the role on every operator and admin route, and passes "
            + "the role check on every analyst route")
    void anAnalystIsRefusedEveryOperatorAndAdminRoute() {
        apiRoutes().forEach((route, roles) -> {
            var r = call(route, analyst);
            if (roleOf(roles) == Role.ANALYST) {
                assertThat(r.status()).as(route + ": " + r.body()).isNotIn(401, 403);
            } else {
                assertThat(r.status()).as(route + ": " + r.body()).isEqualTo(403);
                assertThat(r.body().get("code").asText()).as(route).isEqualTo("role");
                assertThat(r.body().get("error").asText())
                        .as(route)
                        .contains("needs the " + roleOf(roles).label());
            }
        });
    }

    @Test
    @DisplayName("issue 13: an operator token gets 403 on every admin route and passes the role check on the others")
    void anOperatorIsRefusedEveryAdminRoute() {
        apiRoutes().forEach((route, roles) -> {
            var r = call(route, operator);
            if (roleOf(roles) == Role.ADMIN) {
                assertThat(r.status()).as(route + ": " + r.body()).isEqualTo(403);
                assertThat(r.body().get("code").asText()).as(route).isEqualTo("role");
            } else {
                assertThat(r.status()).as(route + ": " + r.body()).isNotIn(401, 403);
            }
        });
    }

    @Test
    @DisplayName("issue 13: the table's admin and operator routes refuse an analyst, and its analyst route serves one")
    void theSensitiveRoutesRefuseOrServeAnAnalystAsTheTableSays() {
        for (String route :
                List.of("DELETE /api/profiles/{id}", "GET /api/audit", "POST /api/keys", "POST /api/decisions")) {
            assertThat(call(route, analyst).status()).as(route).isEqualTo(403);
        }
        assertThat(call("GET /api/profiles/{id}", analyst).status())
                .as("no such profile, but allowed to ask")
                .isEqualTo(404);
        assertThat(s.call("GET", "/api/keys", Running.ADMIN, null).body().size())
                .as("no write key was issued by a refused request: the bootstrap key alone")
                .isEqualTo(1);
    }
}
