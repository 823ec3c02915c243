package fusion.server.http;

import fusion.analytics.attribution.Attribution;
import fusion.core.consent.ConsentPurpose;
import fusion.core.model.InvalidInput;
import fusion.server.access.Role;
import fusion.server.audiences.AudienceService;
import fusion.server.journeys.JourneyService;
import fusion.server.privacy.ConsentService;
import fusion.store.ServingReads;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/** Customer incidence over HTTP: journey statistics, attribution, and a person's next step. */
final class JourneyApi {
    private final ServingReads store;
    private final JourneyService journeys;
    private final ConsentService consent;
    private final Clock clock;
    private final AudienceService audiences;

    JourneyApi(
            ServingReads store,
            JourneyService journeys,
            ConsentService consent,
            AudienceService audiences,
            Clock clock) {
        this.store = store;
        this.journeys = journeys;
        this.consent = consent;
        this.audiences = audiences;
        this.clock = clock;
    }

    void register(RoutesConfig r) {
        r.get(
                "/api/journeys",
                ctx -> {
                    var at = ReadApi.at(ctx, clock);
                    var scope = AudienceScope.of(ctx, audiences);
                    ctx.json(
                            scope.isPresent()
                                    ? journeys.report(at, scope.get().audience(), scope.get()::contains)
                                    : journeys.report(at));
                },
                Role.ANALYST);
        r.get(
                "/api/journeys/attribution",
                ctx -> {
                    var by = JourneyService.Token.parse(ctx.queryParam("by"));
                    int[] orders = orders(ctx);
                    var scope = AudienceScope.of(ctx, audiences);
                    ctx.json(
                            scope.isPresent()
                                    ? journeys.attribution(by, scope.get()::contains, orders)
                                    : journeys.attribution(by, orders));
                },
                Role.ANALYST);
        r.post(
                "/api/attribution",
                ctx -> {
                    ctx.json(attributionOf(ctx.body(), orders(ctx)));
                },
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}/next-step",
                ctx -> {
                    String id = ctx.pathParam("id");
                    var p = store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
                    Guard.audit(ctx, "predict next step", p.id());
                    consent.require(p.id(), ConsentPurpose.ANALYTICS, null);
                    ctx.json(journeys.nextStep(p.id()));
                },
                Role.ANALYST);
    }

    /** {@code ?order=1,2,3}: the Markov orders to solve (default 1 and 2). */
    static int[] orders(Context ctx) {
        String raw = ctx.queryParam("order");
        if (raw == null || raw.isBlank()) return new int[] {1, 2};
        try {
            int[] o = Arrays.stream(raw.split(","))
                    .map(String::trim)
                    .mapToInt(Integer::parseInt)
                    .toArray();
            for (int k : o) {
                if (k < 1 || k > 4) throw new InvalidInput("order", "expected orders from 1 to 4 but was " + k);
            }
            return o;
        } catch (NumberFormatException e) {
            throw new InvalidInput("order", "expected a list of whole numbers like 1,2 but was '" + raw + "'");
        }
    }

    /** Attribution of a paths file sent as the body (the format of docs/ATTRIBUTION.md). */
    private static Attribution.AttributionResult attributionOf(String body, int[] orders) throws IOException {
        if (body == null || body.isBlank()) throw new InvalidInput("body", "send a paths file (CSV) as the body");
        Path tmp = Files.createTempFile("fusion-paths", ".csv");
        try {
            Files.writeString(tmp, body);
            return Attribution.ofFile(tmp, orders);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new InvalidInput("body", e.getMessage().replace(tmp.toString(), "the paths file"));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
