package fusion.server.http;

import fusion.core.segment.SegmentCall;
import fusion.server.access.Role;
import fusion.server.decisions.NextBestActions;
import fusion.server.ideas.IdeaService;
import fusion.server.log.IngestLog;
import fusion.store.DecisionRecords.DecisionRecord;
import fusion.store.ProfileView;
import fusion.store.ServingReads;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The co-created innovation stream (docs/IDEAS.md): ideas per brand, one idea, and its status. */
final class IdeasApi {
    /** Bound on a status change's note, in characters. */
    static final int MAX_NOTE = 500;

    private final ServingReads store;
    private final IdeaService ideas;
    private final IngestLog log;
    private final NextBestActions actions;
    private final Clock clock;

    IdeasApi(ServingReads store, IdeaService ideas, IngestLog log, NextBestActions actions, Clock clock) {
        this.store = store;
        this.ideas = ideas;
        this.log = log;
        this.actions = actions;
        this.clock = clock;
    }

    /** An idea as served: its people resolved to profiles. */
    record IdeaView(
            String id,
            String brand,
            String title,
            Instant first,
            String status,
            int support,
            int votes,
            List<String> contributors,
            List<SubmissionView> submissions,
            List<IdeaService.Change> history) {}

    /** One submission, its author resolved to a profile. */
    record SubmissionView(String id, String profile, Instant at, String event, String text, Double similarity) {}

    /** What a status change did: the idea after it, who was credited, and what each contributor was told. */
    record Changed(IdeaView idea, int calls, List<String> credited, List<Told> told) {}

    /** The decision taken for one contributor after the change. */
    record Told(
            String profile,
            String outcome,
            String action,
            String channel,
            String status,
            String reason,
            String delivery) {}

    void register(RoutesConfig r) {
        r.get(
                "/api/brands/{brand}/ideas",
                ctx -> {
                    String brand = brand(ctx);
                    int limit = ReadApi.intParam(ctx, "limit", 100, 1, 1000);
                    Guard.audit(ctx, "read ideas of " + brand, null);
                    ctx.json(ideas.ofBrand(brand).stream()
                            .limit(limit)
                            .map(this::view)
                            .toList());
                },
                Role.ANALYST);
        r.get(
                "/api/ideas/{id}",
                ctx -> {
                    IdeaService.Idea idea = idea(ctx);
                    Guard.audit(ctx, "read idea " + idea.id(), null);
                    ctx.json(view(idea));
                },
                Role.ANALYST);
        r.post(
                "/api/ideas/{id}/status",
                ctx -> {
                    IdeaService.Idea idea = idea(ctx);
                    Json body = Json.body(ctx.body());
                    IdeaService.Status to = IdeaService.Status.parse("status", body.required("status"));
                    String note = body.text("note", MAX_NOTE).orElse("");
                    String actor = Guard.principal(ctx).actor();
                    // as decisions store it: the credit must not lie after the instant the decision is taken at
                    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                    List<SegmentCall> calls;
                    // one change at a time: a change's calls are numbered after the idea's history
                    synchronized (ideas) {
                        calls = ideas.statusCalls(idea, to, actor, note, now);
                        log.append(calls);
                    }
                    List<String> credited = new ArrayList<>();
                    for (SegmentCall c : calls) {
                        if (c.properties().containsKey("value_received")) {
                            String who = c.userId() != null ? c.userId() : c.anonymousId();
                            credited.add(store.profile(who).map(ProfileView::id).orElse(who));
                        }
                    }
                    List<Told> told = new ArrayList<>();
                    if (to.credit > 0) {
                        for (ProfileView p : ideas.contributors(idea)) {
                            told.add(tell(p, idea.brand(), now));
                        }
                    }
                    Guard.audit(ctx, "set idea " + idea.id() + " " + to.label(), null);
                    IdeaService.Idea after = ideas.idea(idea.id()).orElse(idea);
                    ctx.json(new Changed(view(after), calls.size(), credited, told));
                },
                Role.OPERATOR);
    }

    /** Telling a contributor is the decision catalogue's job: the best action now, consent-bound. */
    private Told tell(ProfileView p, String brand, Instant now) {
        try {
            NextBestActions.Outcome o = actions.decide(p, brand, now);
            DecisionRecord d = o.decision();
            var reasons = NextBestActions.reasons(d.reasons());
            String reason = reasons.isEmpty()
                    ? ""
                    : reasons.get(0).code().label() + ": " + reasons.get(0).sentence();
            return new Told(
                    p.id(),
                    d.outcome().label(),
                    d.action(),
                    d.channel(),
                    d.status() == null ? null : d.status().label(),
                    reason,
                    o.delivery());
        } catch (RuntimeException e) {
            // a brand this server does not decide for, for instance: the credit stands, nobody is told
            return new Told(p.id(), "not decided", null, null, null, e.getMessage(), "nothing to deliver");
        }
    }

    private IdeaView view(IdeaService.Idea i) {
        List<SubmissionView> subs = i.submissions().stream()
                .map(s -> new SubmissionView(
                        s.id(),
                        store.profile(s.identity()).map(ProfileView::id).orElse(s.identity()),
                        s.at(),
                        s.event(),
                        s.text(),
                        s.similarity()))
                .toList();
        return new IdeaView(
                i.id(),
                i.brand(),
                i.title(),
                i.first(),
                i.status().label(),
                IdeaService.support(i),
                i.voters().size(),
                ideas.contributors(i).stream().map(ProfileView::id).toList(),
                subs,
                i.history());
    }

    private IdeaService.Idea idea(Context ctx) {
        String id = ctx.pathParam("id");
        return ideas.idea(id).orElseThrow(() -> new HttpApi.NotFound("no idea '" + id + "'"));
    }

    private String brand(Context ctx) {
        String id = ctx.pathParam("brand");
        boolean known = store.brands(clock.instant()).stream().anyMatch(b -> b.id().equals(id));
        if (!known) throw new HttpApi.NotFound("no brand '" + id + "'");
        return id;
    }
}
