package fusion.server.http;

import fusion.core.segment.EventDefaults;
import fusion.core.segment.TrackingPlan;
import fusion.server.access.Role;
import fusion.server.plan.PlanGate;
import fusion.server.plan.PlanViolations;
import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tracking plan over HTTP (docs/SEGMENT.md): the plan in force, and its violations (kept in the
 * store across restarts) per source and event, with samples. Both for analysts: a sample names a
 * messageId and the problem (a value quoted in it is cut to 40 characters), never a person.
 */
final class PlanApi {
    private final PlanGate gate;

    PlanApi(PlanGate gate) {
        this.gate = gate;
    }

    void register(RoutesConfig r) {
        r.get("/api/tracking-plan", ctx -> ctx.json(plan(gate.plan())), Role.ANALYST);
        r.get("/api/tracking-plan/violations", ctx -> ctx.json(violations()), Role.ANALYST);
    }

    private Map<String, Object> violations() {
        PlanViolations v = gate.violations();
        List<PlanViolations.Count> counts = v.counts();
        Map<String, Map<String, Long>> bySource = new TreeMap<>();
        for (var c : counts)
            bySource.computeIfAbsent(c.source(), s -> new TreeMap<>()).merge(c.event(), c.count(), Long::sum);
        List<Map<String, Object>> sources = new ArrayList<>();
        bySource.forEach((source, events) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("source", source);
            s.put("mode", gate.plan().mode(source).label());
            s.put(
                    "violations",
                    events.values().stream().mapToLong(Long::longValue).sum());
            s.put("events", events);
            sources.add(s);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", v.since());
        out.put("total", v.total());
        out.put("sources", sources);
        out.put("violations", counts);
        return out;
    }

    static Map<String, Object> plan(TrackingPlan plan) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaultMode", plan.defaultMode().label());
        Map<String, String> sources = new TreeMap<>();
        plan.sources().forEach((k, m) -> sources.put(k, m.label()));
        out.put("sources", sources);
        List<Map<String, Object>> events = new ArrayList<>();
        for (TrackingPlan.Event e : plan.events()) {
            EventDefaults d = e.meaning();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("purpose", d.purpose().label());
            m.put("initiator", d.initiator().label());
            m.put("channel", d.channel().map(c -> c.label()).orElse("context"));
            m.put("need", d.need().label());
            if (d.valueReceived() != 0) m.put("valueReceived", d.valueReceived());
            if (d.moneyReturned()) m.put("moneyReturned", true);
            if (d.repeatContacts() != 0) m.put("repeatContacts", d.repeatContacts());
            Map<String, Object> props = new LinkedHashMap<>();
            e.properties()
                    .forEach((k, p) -> props.put(k, Map.of("type", p.type().label(), "required", p.required())));
            m.put("properties", props);
            events.add(m);
        }
        out.put("events", events);
        return out;
    }
}
