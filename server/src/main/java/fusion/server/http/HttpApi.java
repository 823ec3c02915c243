package fusion.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.server.access.AccessControl;
import fusion.server.access.AuditLog;
import fusion.server.access.AuditUnavailable;
import fusion.server.access.Credentials;
import fusion.server.access.Forbidden;
import fusion.server.access.Principal;
import fusion.server.access.Unauthorized;
import fusion.server.decisions.NextBestActions;
import fusion.server.journeys.JourneyService;
import fusion.server.log.IngestLog;
import fusion.server.log.LogUnavailable;
import fusion.server.models.ActionImpact;
import fusion.server.models.CustomerValueService;
import fusion.server.privacy.ConsentService;
import fusion.store.Access;
import fusion.store.IngestResult;
import fusion.store.Store;
import fusion.store.StoreFailure;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface: Segment-compatible ingestion under {@code /v1}, the read API under
 * {@code /api} (admin token), {@code /health}, and the dashboard at {@code /}. Handlers are
 * lambdas; every exception becomes a status in {@link #errors} and nowhere else.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** With -Dfusion.audit.timing=true: when an /api request started ({@link AuditLog#handled}). */
    private static final String STARTED = "fusion.started";
    /** The largest body any route reads (ingest routes have smaller limits of their own). */
    static final long MAX_REQUEST_BYTES = 4L * SegmentParser.MAX_BATCH_BYTES;

    private final Store store;
    private final IngestLog log;
    private final AccessControl access;
    private final AuditLog audit;
    private final Clock clock;
    private final SegmentParser parser = new SegmentParser();
    private final ReadApi reads;
    private final PrivacyApi privacy;
    private final AdminApi admin;
    private final JourneyApi journeys;
    private final ModelsApi models;
    private final Admission admission;
    private final DecisionApi decisions;
    private final AudienceApi audiences;
    private final InfluenceApi influence;
    private final IdeasApi ideas;
    private final ActivationApi activation;
    private final fusion.server.plan.PlanGate plan;
    private final PlanApi planApi;

    /**
     * The services the routes use, each built once by the composition root
     * ({@code fusion.server.FusionServer}); the routes only register handlers over them. The audit
     * log, the decisions and the store are the caller's to close, after the server stops.
     */
    public record Services(
            Store store,
            IngestLog log,
            Credentials credentials,
            AccessControl access,
            AuditLog audit,
            ConsentService consent,
            CustomerValueService values,
            JourneyService journeys,
            ActionImpact impact,
            NextBestActions actions,
            Admission admission,
            Clock clock,
            fusion.server.audiences.AudienceService audiences,
            fusion.server.activation.ActivationService activation,
            fusion.server.influence.InfluenceService influence,
            fusion.server.ideas.IdeaService ideas,
            fusion.server.plan.PlanGate plan,
            fusion.server.models.ChurnService churn,
            fusion.server.models.SurveyService surveys,
            java.util.Currency currency) {
        public Services {
            java.util.Objects.requireNonNull(currency, "currency");
            java.util.Objects.requireNonNull(store, "store");
            java.util.Objects.requireNonNull(log, "log");
            java.util.Objects.requireNonNull(credentials, "credentials");
            java.util.Objects.requireNonNull(access, "access");
            java.util.Objects.requireNonNull(audit, "audit");
            java.util.Objects.requireNonNull(consent, "consent");
            java.util.Objects.requireNonNull(values, "values");
            java.util.Objects.requireNonNull(journeys, "journeys");
            java.util.Objects.requireNonNull(impact, "impact");
            java.util.Objects.requireNonNull(actions, "actions");
            java.util.Objects.requireNonNull(admission, "admission");
            java.util.Objects.requireNonNull(clock, "clock");
            java.util.Objects.requireNonNull(audiences, "audiences");
            java.util.Objects.requireNonNull(activation, "activation");
            java.util.Objects.requireNonNull(influence, "influence");
            java.util.Objects.requireNonNull(ideas, "ideas");
            java.util.Objects.requireNonNull(plan, "plan");
            java.util.Objects.requireNonNull(churn, "churn");
            java.util.Objects.requireNonNull(surveys, "surveys");
        }
    }

    public HttpApi(Services s) {
        this.store = s.store();
        this.log = s.log();
        this.access = s.access();
        this.audit = s.audit();
        this.clock = s.clock();
        this.admission = s.admission();
        this.reads = new ReadApi(s.store(), s.clock(), s.currency(), s.audiences());
        this.privacy = new PrivacyApi(s.store(), s.consent(), s.audit(), s.clock(), s.values(), s.log());
        this.journeys = new JourneyApi(s.store(), s.journeys(), s.consent(), s.audiences(), s.clock());
        this.admin = new AdminApi(s.access(), s.audit(), s.store(), s.credentials());
        this.models =
                new ModelsApi(s.store(), s.values(), s.impact(), s.churn(), s.surveys(), s.audiences(), s.clock());
        this.decisions = new DecisionApi(s.store(), s.actions(), s.access(), s.clock(), s.audiences());
        this.audiences = new AudienceApi(s.store(), s.audiences());
        this.influence = new InfluenceApi(s.store(), s.influence(), s.clock());
        this.ideas = new IdeasApi(s.store(), s.ideas(), s.log(), s.actions(), s.clock());
        this.activation = new ActivationApi(s.activation());
        this.plan = s.plan();
        this.planApi = new PlanApi(s.plan());
    }

    public static ObjectMapper json() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addMixIn(SegmentCall.class, CallAsData.class);
    }

    /** A call is shown as its data: the text it was sent as is the log's, not the API's. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties("original")
    private abstract static class CallAsData {}

    /** Starts on {@code host:port} (port 0 picks a free one; see {@link Javalin#port()}). */
    public Javalin start(String host, int port) {
        Javalin app = Javalin.create(this::configure);
        everyApiRouteDeclaresOneRole(app);
        return app.start(host, port);
    }

    /** A route under {@code /api} without exactly one {@link Role} stops the server from starting, naming it. */
    private static void everyApiRouteDeclaresOneRole(Javalin app) {
        for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint e = parsed.endpoint;
            if (e.method.isHttpMethod() && (e.path.equals("/api") || e.path.startsWith("/api/"))) {
                Roles roles = e.metadata(Roles.class);
                Guard.declaredRole(e.method + " " + e.path, roles == null ? Set.of() : roles.getRoles());
            }
        }
    }

    private void configure(JavalinConfig config) {
        config.jsonMapper(new JavalinJackson(json(), false));
        config.http.maxRequestSize = MAX_REQUEST_BYTES;
        config.startup.showJavalinBanner = false;
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        config.staticFiles.add("/public", Location.CLASSPATH);
        var r = config.routes;
        r.before(SecurityHeaders::apply);
        for (String path : new String[] {"/v1/batch", "/v1/import"}) {
            r.post(path, ctx -> ingest(ctx, null));
        }
        for (SegmentCall.Type type : SegmentCall.Type.values()) {
            r.post("/v1/" + type.wireName(), ctx -> ingest(ctx, type));
        }
        r.before(HttpApi::declaredSizeWithinLimit);
        r.get("/health", ctx -> ctx.json(health()));
        r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
        r.before("/api/*", ctx -> {
            if (AuditLog.timing()) ctx.attribute(STARTED, System.nanoTime());
            ReadTrace.begin(ctx);
            ctx.attribute(Guard.PRINCIPAL, access.principal(ctx.header("Authorization")));
            ReadTrace.mark(ctx, "auth");
        });
        r.beforeMatched("/api/*", Guard::requireRouteRole); // the one role check: each route declares its role
        r.after("/api/*", this::audited);
        if (ReadTrace.ON) config.requestLogger.http((ctx, ms) -> ReadTrace.finish(ctx));
        reads.register(r);
        privacy.register(r);
        admin.register(r);
        journeys.register(r);
        decisions.register(r);
        models.register(r);
        audiences.register(r);
        influence.register(r);
        ideas.register(r);
        activation.register(r);
        planApi.register(r);
        errors(config);
    }

    /**
     * One audit entry per request that touched a person or changed who may do what, with its
     * status. The response is held until the entry is durable; when it cannot be written the
     * request is answered 503 instead ({@link AuditUnavailable}), so nothing is served unaudited.
     */
    private void audited(Context ctx) {
        Principal p = ctx.attribute(Guard.PRINCIPAL);
        String action = ctx.attribute(Guard.ACTION);
        if (p == null) return;
        String subject = ctx.attribute(Guard.SUBJECT);
        if (action == null) {
            // a refused attempt at a person's data is worth recording too
            if (ctx.statusCode() != 403 || !ctx.path().startsWith("/api/profiles/")) return;
            action = "refused " + ctx.method() + " "
                    + ctx.path().replaceFirst("^/api/profiles/[^/]+", "/api/profiles/{id}");
            String[] parts = ctx.path().split("/");
            subject = parts.length > 3 ? parts[3] : null;
        }
        Long started = ctx.attribute(STARTED);
        if (started != null) audit.handled(System.nanoTime() - started);
        ReadTrace.mark(ctx, "handler");
        try {
            audit.recordDurably(new Access.AuditEntry(
                    0, clock.instant(), p.actor(), p.role().label(), action, subject, ctx.statusCode()));
            ReadTrace.mark(ctx, "audit");
        } catch (AuditUnavailable e) {
            if (!"GET".equals(ctx.req().getMethod())) {
                // a change has taken effect and cannot be undone here: the server log keeps the record
                LOG.error(
                        "unaudited change: {} by {} answered {} (the audit log cannot be written)",
                        action,
                        p.actor(),
                        ctx.statusCode());
            }
            throw e;
        }
    }

    /**
     * Ingestion, in the order of {@link Admission}: a key in the headers is checked first; the
     * body is read within the body deadline (without a key in the headers, only while few such
     * reads are under way); a key in the body is checked next; only then does the request take
     * an ingest place to be parsed and stored. Any Content-Type is read as JSON (RudderStack's
     * Node SDK sends gzipped JSON as application/x-www-form-urlencoded).
     */
    private void ingest(Context ctx, SegmentCall.Type type) {
        Optional<String> headerKey = Credentials.basicUser(ctx.header("Authorization"));
        String source = null;
        if (headerKey.isPresent()) source = access.source(headerKey); // a wrong key is refused before the body is read
        int limit = type == null ? SegmentParser.MAX_BATCH_BYTES : SegmentParser.MAX_CALL_BYTES;
        byte[] body;
        if (headerKey.isPresent()) {
            body = body(ctx, limit);
        } else {
            admission.enterUnauthenticatedRead();
            try {
                body = body(ctx, limit);
            } finally {
                admission.releaseUnauthenticatedRead();
            }
            source = access.source(headerKey.or(() -> parser.writeKeyOf(body)));
        }
        admission.enter();
        try {
            admitted(ctx, type, body, source);
        } finally {
            admission.release();
        }
    }

    /** The body, gunzipped and within {@code limit}; the connection is closed if it has not arrived in time. */
    private byte[] body(Context ctx, int limit) {
        Admission.Deadline deadline = admission.deadline(() -> closeConnection(ctx));
        try {
            byte[] body = Bodies.read(
                    ctx.bodyInputStream(),
                    ctx.header("Content-Encoding"),
                    ctx.req().getContentLengthLong(),
                    limit);
            if (!deadline.met()) throw new SlowBody(admission.bodyTime());
            return body;
        } catch (MalformedInput e) {
            if (!deadline.met()) throw new SlowBody(admission.bodyTime());
            throw e;
        }
    }

    /** Ends a request whose body is late: closing its connection wakes the thread blocked reading it. */
    private static void closeConnection(Context ctx) {
        try {
            org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData()
                    .getConnection()
                    .getEndPoint()
                    .close();
        } catch (RuntimeException e) {
            LOG.debug("closing a connection whose body was late failed", e);
        }
    }

    private void admitted(Context ctx, SegmentCall.Type type, byte[] body, String source) {
        SegmentParser.Request request;
        try {
            request = type == null ? parser.batch(body, clock.instant()) : parser.single(body, type, clock.instant());
        } catch (MalformedInput e) {
            String contentType = ctx.header("Content-Type");
            if (contentType == null || contentType.toLowerCase(Locale.ROOT).contains("json")) throw e;
            throw new MalformedInput(e.getMessage() + " (the body was sent as '" + contentType
                    + "'; Fusion reads every ingest body as JSON)");
        }
        IngestResult result;
        try {
            var checked = plan.check(source, request.calls()); // the tracking plan, in the source's mode
            result = log.append(request.calls());
            checked.accepted();
        } catch (InvalidInput e) {
            // a single-call endpoint has no batch: report the field as the caller sent it
            boolean single = type != null && e.field().startsWith("batch[0].");
            throw single ? new InvalidInput(e.field().substring("batch[0].".length()), e.problem()) : e;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("accepted", result.accepted());
        out.put("duplicates", result.duplicates());
        out.put("scored", result.scored());
        out.put("unknown", result.unknown());
        ctx.json(out);
    }

    /**
     * A body whose declared Content-Length is over the route's limit is refused with 413 before a
     * byte of it is read, so a client that sent {@code Expect: 100-continue} gets 413, not 100
     * and then a reset. Ingest routes have Segment's limits; every other route the server's.
     */
    private static void declaredSizeWithinLimit(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared < 0) return;
        String path = ctx.path();
        long limit = path.equals("/v1/batch") || path.equals("/v1/import")
                ? SegmentParser.MAX_BATCH_BYTES
                : path.startsWith("/v1/") ? SegmentParser.MAX_CALL_BYTES : MAX_REQUEST_BYTES;
        if (declared > limit) throw new TooLarge(declared, limit);
    }

    /** The API's description, as shipped in resources/api/openapi.json. */
    private static byte[] openApi() throws java.io.IOException {
        try (var in = HttpApi.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) throw new IllegalStateException("openapi.json is missing from the build");
            return in.readAllBytes();
        }
    }

    private Map<String, Object> health() {
        var s = store.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("events", s.events());
        m.put("profiles", s.profiles());
        m.put("relationships", s.relationships());
        m.put("ledgerEntries", s.ledgerEntries());
        m.put("brands", s.brands());
        m.put("auditSync", store.access().auditSync()); // when a read's audit entry counts as written
        m.putAll(log.health());
        return m;
    }

    /** The one place exceptions become statuses. */
    private static void errors(JavalinConfig config) {
        var r = config.routes;
        r.exception(InvalidInput.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage(), e.field()));
        r.exception(MalformedInput.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage(), "$"));
        r.exception(Unauthorized.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", ctx.path().startsWith("/api") ? "Bearer" : "Basic realm=\"fusion\"");
            error(ctx, HttpStatus.UNAUTHORIZED, e.getMessage(), null);
        });
        r.exception(Forbidden.class, (e, ctx) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("code", e.code());
            ctx.status(HttpStatus.FORBIDDEN).json(body);
        });
        r.exception(TooLarge.class, (e, ctx) -> {
            ctx.header("Connection", "close"); // the unread body is not worth reading to keep the connection
            error(ctx, HttpStatus.CONTENT_TOO_LARGE, e.getMessage(), "Content-Length");
        });
        r.exception(SlowBody.class, (e, ctx) -> {
            LOG.debug("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Connection", "close");
            error(ctx, HttpStatus.REQUEST_TIMEOUT, e.getMessage(), null);
        });
        r.exception(NotFound.class, (e, ctx) -> error(ctx, HttpStatus.NOT_FOUND, e.getMessage(), null));
        r.exception(
                fusion.server.audiences.AudienceService.NotFound.class,
                (e, ctx) -> error(ctx, HttpStatus.NOT_FOUND, e.getMessage(), null));
        r.exception(Admission.Busy.class, (e, ctx) -> {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), null);
        });
        r.exception(fusion.store.StoreBusy.class, (e, ctx) -> {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), null);
        });
        r.exception(LogUnavailable.class, (e, ctx) -> {
            LOG.warn("event log unavailable, answering 503: {}", e.getMessage());
            ctx.header("Retry-After", Integer.toString(LogUnavailable.RETRY_AFTER_SECONDS));
            error(
                    ctx,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "the event log is unavailable, nothing of this batch was " + "acknowledged; retry later",
                    null);
        });
        r.exception(AuditUnavailable.class, (e, ctx) -> {
            LOG.warn("audit log unavailable, answering 503: {}", e.getMessage());
            ctx.header("Retry-After", "5");
            error(
                    ctx,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "GET".equals(ctx.req().getMethod())
                            ? "the audit log cannot be written, so nothing was served; retry later"
                            : "the audit log cannot be written; the change was made (the server log records it): "
                                    + "check before repeating it",
                    null);
        });
        r.exception(StoreFailure.class, (e, ctx) -> {
            LOG.warn("store unavailable, answering 503: {}", e.getMessage());
            ctx.header("Retry-After", "5");
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "the store is unavailable; retry later", null);
        });
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error", null);
        });
    }

    static void error(Context ctx, HttpStatus status, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (field != null) body.put("field", field);
        ctx.status(status).json(body);
    }

    /** A body that did not arrive within the body deadline (its connection is already closed). */
    static final class SlowBody extends RuntimeException {
        SlowBody(java.time.Duration limit) {
            super("the body did not arrive within " + limit.toSeconds() + " s of the request's headers");
        }
    }

    /** A declared body over the route's limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long declared, long limit) {
            super("the body of " + declared + " bytes is over this route's limit of " + limit + " bytes");
        }
    }

    /** The thing asked for does not exist. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }
}
