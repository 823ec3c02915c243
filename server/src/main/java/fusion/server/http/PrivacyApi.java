package fusion.server.http;

import fusion.core.consent.ConsentPurpose;
import fusion.core.consent.ConsentRecord;
import fusion.core.consent.ConsentVerdict;
import fusion.core.model.InvalidInput;
import fusion.server.access.AuditLog;
import fusion.server.access.Principal;
import fusion.server.access.Role;
import fusion.server.log.KafkaLog;
import fusion.server.privacy.ConsentService;
import fusion.store.Erasure;
import fusion.store.ProfileView;
import fusion.store.RelationshipView;
import fusion.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consent and privacy rights over HTTP (docs/CONSENT.md): the consent ledger read and written,
 * every consent-bound use (personalisation, sharing, audience export) checked at that moment,
 * the person's export and their erasure.
 */
final class PrivacyApi {
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyApi.class);

    private final Store store;
    private final ConsentService consent;
    private final AuditLog audit;
    private final Clock clock;

    private final fusion.server.models.CustomerValueService value;
    /** The cluster's log when this server is a Kafka-mode ingest tier; then erasures go through it. */
    private final KafkaLog cluster;

    PrivacyApi(
            Store store,
            ConsentService consent,
            AuditLog audit,
            Clock clock,
            fusion.server.models.CustomerValueService value,
            fusion.server.log.IngestLog log) {
        this.value = value;
        this.cluster = log instanceof KafkaLog k ? k : null;
        this.store = store;
        this.consent = consent;
        this.audit = audit;
        this.clock = clock;
    }

    void register(RoutesConfig r) {
        r.get(
                "/api/profiles/{id}/consents",
                ctx -> {
                    ProfileView p = profile(ctx, "read consent");
                    Instant at = ReadApi.at(ctx, clock);
                    List<ConsentRecord> history = consent.history(p.id());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("profile", p.id());
                    out.put("at", at);
                    out.put("verdicts", consent.policy().summary(history, at));
                    out.put("history", history);
                    ctx.json(out);
                },
                Role.ANALYST);
        r.get(
                "/api/profiles/{id}/consents/{purpose}",
                ctx -> {
                    ConsentPurpose purpose = ConsentPurpose.parse("purpose", ctx.pathParam("purpose"));
                    ProfileView p = profile(ctx, "check consent");
                    ctx.json(consent.check(p.id(), purpose, ctx.queryParam("channel"), ReadApi.at(ctx, clock)));
                },
                Role.ANALYST);
        r.post(
                "/api/profiles/{id}/consents",
                ctx -> {
                    Principal who = Guard.principal(ctx);
                    Json body = Json.body(ctx.body());
                    ConsentPurpose purpose = ConsentPurpose.parse("purpose", body.required("purpose"));
                    boolean granted = body.flag("granted")
                            .orElseThrow(() -> new InvalidInput("granted", "is required: true or false"));
                    ProfileView p = profile(ctx, granted ? "grant " + purpose.label() : "revoke " + purpose.label());
                    var change = new ConsentService.Change(
                            purpose,
                            body.text("channel").orElse(null),
                            granted,
                            body.instant("expiresAt").orElse(null),
                            body.number("ttlDays").orElse(null),
                            body.text("source").orElse(null));
                    ctx.status(201).json(consent.record(p, change, who.actor()));
                },
                Role.OPERATOR);
        r.get(
                "/api/consents/expiring",
                ctx -> {
                    Duration within = duration(ctx.queryParam("within"), Duration.ofDays(30));
                    Guard.audit(ctx, "list expiring consent", null);
                    ctx.json(consent.expiring(within));
                },
                Role.OPERATOR);
        r.get(
                "/api/profiles/{id}/personalisation",
                ctx -> {
                    ProfileView p = profile(ctx, "personalise");
                    ConsentVerdict v = consent.require(p.id(), ConsentPurpose.PERSONALISATION, null);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("profile", p.id());
                    out.put("traits", p.traits());
                    out.put("scores", scores(p.id(), clock.instant()));
                    out.put("consent", v);
                    ctx.json(out);
                },
                Role.ANALYST);
        r.post(
                "/api/profiles/{id}/share",
                ctx -> {
                    String recipient = Json.body(ctx.body()).required("recipient");
                    ProfileView p = profile(ctx, "share with " + recipient);
                    ConsentVerdict v = consent.require(p.id(), ConsentPurpose.SHARING, null);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("recipient", recipient);
                    out.put("sharedAt", clock.instant());
                    out.put("profile", Map.of("id", p.id(), "traits", p.traits()));
                    out.put("scores", scores(p.id(), clock.instant()));
                    out.put("consent", v);
                    ctx.json(out);
                },
                Role.OPERATOR);
        r.get(
                "/api/audiences",
                ctx -> {
                    String raw = ctx.queryParam("purpose");
                    if (raw == null || raw.isBlank()) throw new InvalidInput("purpose", "query parameter is required");
                    ConsentPurpose purpose = ConsentPurpose.parse("purpose", raw);
                    String channel = ctx.queryParam("channel");
                    ctx.json(audience(purpose, channel));
                    Guard.audit(
                            ctx, "export audience " + purpose.label() + (channel == null ? "" : "/" + channel), null);
                },
                Role.OPERATOR);
        r.get(
                "/api/profiles/{id}/export",
                ctx -> {
                    ProfileView p = profile(ctx, "export everything");
                    ctx.json(export(p));
                },
                Role.ADMIN);
        r.delete(
                "/api/profiles/{id}",
                ctx -> {
                    Principal who = Guard.principal(ctx);
                    ProfileView p = profile(ctx, "erase");
                    if (cluster != null) {
                        eraseInCluster(ctx, p, who);
                        return;
                    }
                    audit.sync(); // entries about them still queued must be written before their id is taken out
                    // progress is logged as it goes: a rebuild of a big store takes a while
                    Erasure e = store.erase(
                            p.id(), who.actor(), LineSink.of(line -> LOG.info("erasure by {}: {}", who.actor(), line)));
                    LOG.info("erasure #{}: done in {} ms", e.id(), e.millis());
                    audit.sync();
                    store.access().redactSubject(p.id(), "erased #" + e.id());
                    Guard.audit(ctx, "erase", "erased #" + e.id());
                    ctx.json(e);
                },
                Role.ADMIN);
        r.get(
                "/api/erasures",
                ctx -> {
                    ctx.json(store.erasures());
                },
                Role.ADMIN);
        r.get(
                "/api/erasures/requests",
                ctx -> {
                    ctx.json(cluster == null ? List.of() : cluster.erasures());
                },
                Role.ADMIN);
    }

    /**
     * Cluster mode (docs/SCALE-OUT.md, "Erasure in a cluster"): the erasure command goes into the
     * log and the answer is 202 once the broker has it. The job removes the person from its state
     * and the serving tables when it reaches the command; then this server cuts Kafka's log. The
     * request is audited without the person's id; {@code GET /api/erasures/requests} and
     * {@code /health} show what is pending, {@code GET /api/erasures} the erasures the job applied.
     */
    private void eraseInCluster(Context ctx, ProfileView p, Principal who) {
        List<String> ids = new ArrayList<>();
        for (String key : p.identities()) {
            int colon = key.indexOf(':');
            ids.add(colon < 0 ? key : key.substring(colon + 1));
        }
        var status = cluster.requestErasure(p.id(), ids, who.actor());
        LOG.info("erasure {} requested by {}: the job applies it, then the log is cut", status.id(), who.actor());
        // entries naming the person are redacted by the job's sink when it applies the erasure
        Guard.audit(ctx, "erase", "erasure " + status.id());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("erasure", status.id());
        out.put("status", status.state());
        out.put("pending", List.of("job", "log"));
        out.put("requestedAt", status.requestedAt());
        out.put(
                "note",
                "accepted: the job erases the person from its state and the serving tables when it reaches the "
                        + "command, then the log is cut; GET /api/erasures/requests shows where it stands");
        ctx.status(202).json(out);
    }

    private ProfileView profile(Context ctx, String action) {
        String id = ctx.pathParam("id");
        ProfileView p = store.profile(id).orElseThrow(() -> new HttpApi.NotFound("no profile '" + id + "'"));
        Guard.audit(ctx, action, p.id());
        return p;
    }

    private List<Map<String, Object>> scores(String profile, Instant at) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RelationshipView r : store.relationships(profile, at, 0)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("brand", r.brand());
            m.put("experience", r.experience());
            m.put("fusion", r.fusion());
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> audience(ConsentPurpose purpose, String channel) {
        Instant now = clock.instant();
        Map<String, List<ConsentRecord>> ledgers = new HashMap<>();
        store.forEachConsentLedger(ledgers::put);
        List<Map<String, Object>> allowed = new ArrayList<>();
        Map<String, Integer> refused = new TreeMap<>();
        store.forEachProfile(p -> {
            ConsentVerdict v = consent.policy().check(ledgers.getOrDefault(p.id(), List.of()), purpose, channel, now);
            if (v.allowed()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("profile", p.id());
                m.put("name", p.name());
                m.put("basis", v.code());
                m.put("validUntil", v.validUntil());
                allowed.add(m);
            } else {
                refused.merge(v.code(), 1, Integer::sum);
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("purpose", purpose.label());
        out.put("channel", channel);
        out.put("at", now);
        out.put("allowed", allowed);
        out.put("refused", refused);
        return out;
    }

    private Map<String, Object> export(ProfileView p) {
        Instant now = clock.instant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exportedAt", now);
        out.put("profile", p);
        List<ConsentRecord> history = consent.history(p.id());
        out.put("consent", Map.of("history", history, "now", consent.policy().summary(history, now)));
        List<RelationshipView> rels = store.relationships(p.id(), now, 0);
        out.put("relationships", rels);
        Map<String, Object> ledgers = new LinkedHashMap<>();
        for (RelationshipView r : rels) ledgers.put(r.brand(), store.ledger(p.id(), r.brand(), Integer.MAX_VALUE));
        out.put("ledgers", ledgers);
        List<Object> events = new ArrayList<>();
        store.forEachEventOf(p.id(), (seq, call) -> events.add(call));
        out.put("events", events);
        out.put("decisions", DecisionApi.decisionsOf(store, p.id()));
        out.put("customerValue", value.value(p.id())); // a prediction about the person is data about them
        audit.sync();
        out.put("audit", auditOf(p));
        return out;
    }

    /**
     * The audit entries about the person under any of their names: a refused attempt is recorded
     * under the id the caller used (an anonymous id, an email used as a user id).
     */
    private List<fusion.store.Access.AuditEntry> auditOf(ProfileView p) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        names.add(p.id());
        for (String key : p.identities())
            names.add(fusion.core.identity.Identity.parseKey(key).value());
        Map<Long, fusion.store.Access.AuditEntry> byId = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (String name : names) {
            for (var e : store.access().audit(null, name, null, null, 10_000)) byId.put(e.id(), e);
        }
        return new ArrayList<>(byId.values());
    }

    static Duration duration(String raw, Duration fallback) {
        if (raw == null || raw.isBlank()) return fallback;
        try {
            Duration d = Duration.parse(raw.trim().toUpperCase(java.util.Locale.ROOT));
            if (d.isNegative() || d.isZero()) throw new InvalidInput("within", "must be positive but was " + raw);
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidInput("within", "expected an ISO-8601 duration like P30D but was '" + raw + "'");
        }
    }
}
