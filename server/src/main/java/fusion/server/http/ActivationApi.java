package fusion.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.model.InvalidInput;
import fusion.server.access.Role;
import fusion.server.activation.ActivationService;
import fusion.server.activation.Destination;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;

/**
 * Destinations of audiences over HTTP (docs/AUDIENCES.md, destinations). Defining or deleting a
 * destination sends people's data out of Fusion, so it is for admins; testing one, exporting now
 * and re-sending dead letters for operators; reading definitions (never the secret) and state for
 * analysts.
 */
final class ActivationApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BASE = "/api/audiences/destinations";

    private final ActivationService activation;

    ActivationApi(ActivationService activation) {
        this.activation = activation;
    }

    void register(RoutesConfig r) {
        r.get(
                BASE,
                ctx -> ctx.json(
                        activation.list().stream().map(Destination::shown).toList()),
                Role.ANALYST);
        r.post(
                BASE,
                ctx -> {
                    Destination d = activation.save(body(ctx));
                    Guard.audit(ctx, "define destination " + d.id() + " for audience " + d.audience(), null);
                    ctx.status(HttpStatus.CREATED).json(d.shown());
                },
                Role.ADMIN);
        r.get(BASE + "/{id}", ctx -> ctx.json(activation.state(ctx.pathParam("id"))), Role.ANALYST);
        r.delete(
                BASE + "/{id}",
                ctx -> {
                    activation.delete(ctx.pathParam("id"));
                    Guard.audit(ctx, "delete destination " + ctx.pathParam("id"), null);
                    ctx.status(HttpStatus.NO_CONTENT);
                },
                Role.ADMIN);
        r.post(
                BASE + "/{id}/test",
                ctx -> {
                    var result = activation.test(ctx.pathParam("id"));
                    Guard.audit(ctx, "test destination " + result.destination(), null);
                    ctx.json(result);
                },
                Role.OPERATOR);
        r.post(
                BASE + "/{id}/export",
                ctx -> {
                    var report = activation.export(ctx.pathParam("id"));
                    Guard.audit(
                            ctx,
                            "export audience " + report.audience() + " to " + report.destination() + " ("
                                    + report.sent() + " people)",
                            null);
                    ctx.json(report);
                },
                Role.OPERATOR);
        r.post(
                BASE + "/{id}/dead-letters/retry",
                ctx -> {
                    int n = activation.retryDeadLetters(ctx.pathParam("id"));
                    Guard.audit(ctx, "retry dead letters of " + ctx.pathParam("id"), null);
                    ctx.json(Map.of("destination", ctx.pathParam("id"), "requeued", n));
                },
                Role.OPERATOR);
    }

    private static JsonNode body(Context ctx) {
        String raw = ctx.body();
        if (raw == null || raw.isBlank())
            throw new InvalidInput("body", "send a destination: {\"id\": ..., \"audience\": ..., \"kind\": ...}");
        try {
            JsonNode n = MAPPER.readTree(raw);
            if (!n.isObject()) throw new MalformedInput("the body must be a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw new MalformedInput("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
