package fusion.server.ideas;

import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.store.EventLog;
import fusion.store.Interactions;
import fusion.store.ProfileView;
import fusion.store.ServingReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The co-created innovation stream (seed 004; docs/IDEAS.md): ideas from the customers'
 * commentary, grouped when they say the same thing, with votes and a status per idea, all read
 * from the log.
 *
 * <ul>
 *   <li>an <b>idea</b> is an {@code Idea Submitted} track call (its text: {@code idea}, else
 *       {@code suggestion}, else {@code description}, else {@code title}), or any track call
 *       carrying a {@code suggestion} (a review or feedback with a suggestion in it);
 *   <li>a <b>vote</b> is an {@code Idea Voted} call naming the idea ({@code idea_id}: the id of any
 *       of its submissions); one per person, a contributor's own vote does not count;
 *   <li>a <b>status</b> is an {@code Idea Status Changed} call ({@code idea_id}, {@code status}),
 *       written by {@link #changeStatus} once per contributor; adopting and shipping credit them
 *       ({@code value_received}), so the engine raises their fusion and a replay does the same.
 * </ul>
 *
 * The service reads the log from where it last stopped, so a read after new calls costs only the
 * new calls; after an erasure it reads everything again. People are named by their identities in
 * the calls and resolved to profiles when read, so a later identity merge needs nothing here.
 */
public final class IdeaService implements Interactions.Listener {
    public static final String SUBMITTED = "Idea Submitted";
    public static final String VOTED = "Idea Voted";
    public static final String STATUS_CHANGED = "Idea Status Changed";
    /** The contact point of the status calls, where the decision catalogue finds the credit. */
    public static final String CONTACT_POINT = "ideas";
    /** The longest text of an idea that is kept and grouped, in characters. */
    public static final int MAX_TEXT = 2_000;
    /** The brand of a call that names none, as the standard mapping has it ({@code FusionServer.DEFAULT_BRAND}). */
    public static final String DEFAULT_BRAND = "own";

    /** Where an idea stands, as an operator sets it. */
    public enum Status {
        NEW(0),
        UNDER_REVIEW(0),
        ADOPTED(1.0),
        SHIPPED(2.0),
        DECLINED(0);

        /** Brand-side points credited to each contributor when the idea first reaches this status. */
        public final double credit;

        Status(double credit) {
            this.credit = credit;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code under review}, {@code under_review} or {@code UNDER-REVIEW}. */
        public static Status parse(String field, String raw) {
            if (raw != null) {
                String key =
                        raw.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
                for (Status s : values()) {
                    if (s.name().equals(key)) return s;
                }
            }
            throw new InvalidInput(
                    field, "expected one of new, under_review, adopted, shipped, declined but was '" + raw + "'");
        }
    }

    /**
     * One submission of an idea: who said it (an identity of the call), when, in which event, and
     * its similarity to the earlier submission it was grouped with (null for the idea's first).
     */
    public record Submission(String id, String identity, Instant at, String event, String text, Double similarity) {}

    /** One status change as the log holds it. */
    public record Change(Status status, Instant at, String actor, String note) {}

    /**
     * An idea: its first submission's id and text, every submission that says the same thing,
     * distinct voters (identities), its status and history.
     */
    public record Idea(
            String id,
            String brand,
            String title,
            Instant first,
            List<Submission> submissions,
            Set<String> voters,
            Status status,
            List<Change> history) {}

    private final EventLog log;
    private final ServingReads reads;
    private final String defaultBrand;
    private IdeaGrouping grouping = new IdeaGrouping();
    private long after;
    private volatile boolean stale;
    /** Ideas by id, in the order they were first submitted. */
    private final Map<String, MutableIdea> ideas = new LinkedHashMap<>();
    /** The idea each submission id belongs to. */
    private final Map<String, String> groupOf = new java.util.HashMap<>();

    public <S extends EventLog & ServingReads & Interactions> IdeaService(S store, String defaultBrand) {
        this.log = store;
        this.reads = store;
        this.defaultBrand = defaultBrand;
        store.listen(this);
    }

    private static final class MutableIdea {
        final String id;
        final String brand;
        final List<Submission> submissions = new ArrayList<>();
        final Set<String> voters = new LinkedHashSet<>();
        final List<Change> history = new ArrayList<>();
        /** Identities already credited per status, so a repeated status credits no one twice. */
        final Map<Status, Set<String>> credited = new java.util.EnumMap<>(Status.class);

        MutableIdea(String id, String brand) {
            this.id = id;
            this.brand = brand;
        }

        Status status() {
            return history.isEmpty()
                    ? Status.NEW
                    : history.get(history.size() - 1).status();
        }

        Idea view() {
            Set<String> contributors = new LinkedHashSet<>();
            submissions.forEach(s -> contributors.add(s.identity()));
            Set<String> votes = new LinkedHashSet<>(voters);
            votes.removeAll(contributors);
            return new Idea(
                    id,
                    brand,
                    submissions.get(0).text(),
                    submissions.get(0).at(),
                    List.copyOf(submissions),
                    Set.copyOf(votes),
                    status(),
                    List.copyOf(history));
        }
    }

    /** The brand's ideas, most supported first (contributors plus votes), then the earliest. */
    public synchronized List<Idea> ofBrand(String brand) {
        refresh();
        return ideas.values().stream()
                .filter(i -> i.brand.equals(brand))
                .map(MutableIdea::view)
                .sorted(Comparator.comparingInt((Idea i) -> -support(i)).thenComparing(Idea::first))
                .toList();
    }

    /** One idea by its id or the id of any of its submissions. */
    public synchronized Optional<Idea> idea(String id) {
        refresh();
        return Optional.ofNullable(groupOf.get(id)).map(ideas::get).map(MutableIdea::view);
    }

    /** Distinct people behind the idea: contributors and voters. */
    public static int support(Idea i) {
        Set<String> people = new LinkedHashSet<>(i.voters());
        i.submissions().forEach(s -> people.add(s.identity()));
        return people.size();
    }

    /** The profiles of the idea's contributors, each once, in order of their first submission. */
    public List<ProfileView> contributors(Idea idea) {
        Map<String, ProfileView> out = new LinkedHashMap<>();
        for (Submission s : idea.submissions()) {
            reads.profile(s.identity()).ifPresent(p -> out.putIfAbsent(p.id(), p));
        }
        return List.copyOf(out.values());
    }

    /**
     * The calls that change an idea's status: one {@code Idea Status Changed} track call per
     * contributor, carrying the credit the status gives them unless they were credited for it
     * before. Nothing is written here; the caller sends them through ingestion, so they are in the
     * log and the engine scores them.
     *
     * @throws InvalidInput when the idea already has that status (field {@code status})
     */
    public synchronized List<SegmentCall> statusCalls(Idea idea, Status to, String actor, String note, Instant at) {
        refresh();
        MutableIdea m = ideas.get(idea.id());
        if (m.status() == to) {
            throw new InvalidInput("status", "the idea is already " + to.label());
        }
        int change = m.history.size() + 1;
        List<SegmentCall> calls = new ArrayList<>();
        Set<String> credited = m.credited.getOrDefault(to, Set.of());
        for (ProfileView p : contributors(idea)) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("brand", m.brand);
            props.put("idea_id", m.id);
            props.put("status", to.label());
            props.put("actor", actor);
            if (note != null && !note.isBlank()) props.put("note", note);
            props.put("channel", "web");
            props.put("contact_point", CONTACT_POINT);
            boolean creditedBefore = credited.stream()
                    .anyMatch(c ->
                            reads.profile(c).map(q -> q.id().equals(p.id())).orElse(false));
            if (to.credit > 0 && !creditedBefore) props.put("value_received", to.credit);
            props.put("description", "idea " + to.label().replace('_', ' ') + ": " + shorten(idea.title(), 120));
            String identity =
                    p.identities().isEmpty() ? "anon:" + p.id() : p.identities().get(0);
            String userId = identity.startsWith("user:") ? identity.substring(5) : null;
            String anonymousId = userId == null ? identity.substring(identity.indexOf(':') + 1) : null;
            calls.add(new SegmentCall(
                    SegmentCall.Type.TRACK,
                    "idea-status:" + m.id + ":" + change + ":" + p.id(),
                    userId,
                    anonymousId,
                    STATUS_CHANGED,
                    null,
                    null,
                    null,
                    props,
                    Map.of(),
                    Map.of("library", Map.of("name", "fusion-ideas")),
                    at,
                    at));
        }
        return calls;
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Reads the calls logged since the last read. */
    private void refresh() {
        if (stale) {
            grouping.close();
            grouping = new IdeaGrouping();
            ideas.clear();
            groupOf.clear();
            after = 0;
            stale = false;
        }
        log.forEachEvent(after, (seq, call) -> {
            after = Math.max(after, seq);
            if (call.type() == SegmentCall.Type.TRACK) apply(call);
        });
    }

    private void apply(SegmentCall call) {
        Map<String, Object> p = call.properties() == null ? Map.of() : call.properties();
        String identity = call.userId() != null ? call.userId() : call.anonymousId();
        if (identity == null) return;
        String event = call.event() == null ? "" : call.event().trim();
        String brand = text(p, "brand").orElse(defaultBrand);
        if (event.equalsIgnoreCase(VOTED)) {
            text(p, "idea_id")
                    .map(groupOf::get)
                    .map(ideas::get)
                    .filter(i -> i.brand.equals(brand) || text(p, "brand").isEmpty())
                    .ifPresent(i -> i.voters.add(identity));
            return;
        }
        if (event.equalsIgnoreCase(STATUS_CHANGED)) {
            Optional<MutableIdea> idea = text(p, "idea_id").map(groupOf::get).map(ideas::get);
            Optional<Status> status = text(p, "status").flatMap(IdeaService::status);
            if (idea.isEmpty() || status.isEmpty()) return;
            MutableIdea i = idea.get();
            Change c = new Change(
                    status.get(),
                    call.timestamp(),
                    text(p, "actor").orElse(""),
                    text(p, "note").orElse(""));
            // one call per contributor: the change is one entry of the history
            Change last = i.history.isEmpty() ? null : i.history.get(i.history.size() - 1);
            if (last == null || !last.equals(c)) i.history.add(c);
            if (p.get("value_received") != null) {
                i.credited
                        .computeIfAbsent(status.get(), s -> new LinkedHashSet<>())
                        .add(identity);
            }
            return;
        }
        Optional<String> text = event.equalsIgnoreCase(SUBMITTED)
                ? text(p, "idea")
                        .or(() -> text(p, "suggestion"))
                        .or(() -> text(p, "description"))
                        .or(() -> text(p, "title"))
                : text(p, "suggestion");
        if (text.isEmpty()) return;
        String words = text.get().length() > MAX_TEXT ? text.get().substring(0, MAX_TEXT) : text.get();
        String id = call.messageId();
        Optional<IdeaGrouping.Match> match = grouping.add(id, brand, words);
        MutableIdea idea;
        Double similarity = null;
        if (match.isPresent()) {
            idea = ideas.get(groupOf.get(match.get().id()));
            similarity = match.get().similarity();
        } else {
            idea = new MutableIdea(id, brand);
            ideas.put(id, idea);
        }
        idea.submissions.add(new Submission(id, identity, call.timestamp(), event, words, similarity));
        groupOf.put(id, idea.id);
    }

    private static Optional<Status> status(String raw) {
        try {
            return Optional.of(Status.parse("status", raw));
        } catch (InvalidInput e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(Map<String, Object> p, String key) {
        Object v = p.get(key);
        return v instanceof String s && !s.isBlank() ? Optional.of(s.trim()) : Optional.empty();
    }

    @Override
    public void committed(List<fusion.core.model.Interaction> interactions, boolean merged) {
        // new calls are read from the log on the next read; merges resolve when read
    }

    @Override
    public void rebuilt() {
        stale = true;
    }
}
