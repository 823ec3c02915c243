package fusion.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.server.models.ChurnService;
import fusion.server.models.CustomerValueService;
import fusion.server.privacy.ConsentService;
import fusion.store.AudienceRecords;
import fusion.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * Audiences and their live membership. People are those with at least one scored interaction.
 * Each committed batch is queued (the listener does nothing else: it runs under the writer's
 * lock) and applied by {@link #settle}: the people it touched are re-evaluated against every
 * audience, dependencies first. A batch that merged profiles, or an erasure's rebuild, makes the
 * next settle reload everyone's interactions from the log and re-evaluate everyone. Time-based
 * rules (windows, decaying scores, predictions, consent expiry, traits) are also re-evaluated for
 * everyone by {@link #refresh}, which the server schedules every {@link #REFRESH_EVERY}.
 * Entered and left changes are kept per audience (the newest {@link #MAX_CHANGES}) with a size
 * series (a point whenever the size changes, the newest {@link #MAX_SIZE_POINTS}); an erased
 * person's changes are purged.
 *
 * <p>Definitions, membership, changes and sizes are kept in the store ({@link AudienceRecords},
 * schema v5) and read back when the service is made, so a restart forgets nothing and, since the
 * first settle compares everyone against the stored membership, records only real changes. Each
 * settle writes its changes, size points and the {@link Outbound} rows they cause (entered/left
 * events for destinations) in one transaction; if that write fails, the service reloads what the
 * store holds and re-evaluates everyone on the next settle, so the store stays the truth.
 */
public final class AudienceService implements Store.Listener, AutoCloseable {
    public static final Duration REFRESH_EVERY = Duration.ofMinutes(15);
    /** How long after a failed background update it is tried again (reads settle at once anyway). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    public static final int MAX_AUDIENCES = 500;
    public static final int MAX_CHANGES = 10_000;
    public static final int MAX_SIZE_POINTS = 10_000;
    public static final int MAX_PAGE = 1_000;

    public record Definition(
            String id,
            String name,
            JsonNode rule,
            boolean timeBased,
            List<String> dependsOn,
            Instant createdAt,
            Instant updatedAt) {}

    /** What the changes of one settle send out: the outbox rows they cause, written with them. */
    public interface Outbound {
        List<AudienceRecords.Outgoing> of(List<Change> changes);
    }

    /** A person entering ({@code entered}) or leaving an audience. */
    public record Change(Instant at, String audience, String profile, boolean entered) {}

    public record SizePoint(Instant at, int size) {}

    /** What a rule would select now, without saving it. */
    public record Preview(int size, int people, List<String> sample, boolean timeBased, List<String> dependsOn) {}

    public record Page(String audience, int size, int offset, int limit, List<String> members) {}

    public record History(String audience, int size, List<SizePoint> sizes, List<Change> changes) {}

    private record Audience(
            Definition definition,
            Rule rule,
            TreeSet<String> members,
            ArrayDeque<Change> changes,
            ArrayDeque<SizePoint> sizes) {}

    private record Batch(List<Interaction> interactions, boolean merged, boolean rebuilt) {}

    private final Store store;
    private final AudienceRecords records;
    private final PersonFacts.Sources sources;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>();
    private final Map<String, Audience> audiences = new LinkedHashMap<>();
    private List<Audience> order = List.of();
    /** Everyone's history, while an audience is defined (null otherwise, and until the next settle loads it). */
    private Map<String, EventHistory> people;
    /** The numbering of brands and contact points that {@link #people}'s histories share. */
    private EventHistory.Codes codes = new EventHistory.Codes();
    /** The ids of the interactions the last load read, until the settle after it has skipped those it holds already. */
    private Set<String> loadedIds = Set.of();

    private volatile Executor executor;
    private boolean dedupeNext;
    private final List<Change> unsaved = new ArrayList<>();
    private final List<AudienceRecords.StoredSize> unsavedSizes = new ArrayList<>();
    private final Set<String> overflowed = new HashSet<>();
    private volatile Outbound outbound = changes -> List.of();
    private volatile java.util.function.Function<String, List<String>> usedBy = id -> List.of();
    private volatile java.util.concurrent.ScheduledExecutorService runner;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AudienceService.class);

    public AudienceService(Store store, ConsentService consent, CustomerValueService values, Clock clock) {
        this(store, consent, values, null, clock);
    }

    /** With {@code churn} for the {@code churnRisk} fact (without it, that fact is missing for everyone). */
    public AudienceService(
            Store store, ConsentService consent, CustomerValueService values, ChurnService churn, Clock clock) {
        this.store = store;
        this.sources = new PersonFacts.Sources(store, consent, values, churn);
        this.clock = clock;
        this.records = store.audiences();
        restore();
        store.listen(this);
    }

    /** The clock's instant to the millisecond, as the store keeps it (so a restart reads back the same). */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Sends each settle's changes out through {@code outbound} (the activation's destinations). */
    public synchronized AudienceService sendingTo(Outbound outbound) {
        this.outbound = outbound;
        return this;
    }

    /** Refuses to delete an audience for which {@code usedBy} names users (its destinations). */
    public synchronized AudienceService usedBy(java.util.function.Function<String, List<String>> usedBy) {
        this.usedBy = usedBy;
        return this;
    }

    /** Replaces what is in memory with what the store holds: definitions, members, changes, sizes. */
    private void restore() {
        audiences.clear();
        unsaved.clear();
        unsavedSizes.clear();
        overflowed.clear();
        Map<String, Set<String>> members = records.members();
        for (AudienceRecords.StoredDefinition s : records.definitions()) {
            JsonNode rule;
            Rule parsed;
            try {
                rule = new com.fasterxml.jackson.databind.ObjectMapper().readTree(s.rule());
                parsed = Rules.parse(rule);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | InvalidInput e) {
                throw new IllegalStateException(
                        "audience '" + s.id() + "' in the store does not parse (" + e.getMessage()
                                + "); fix or delete its row in audience_definitions",
                        e);
            }
            Set<String> deps = new TreeSet<>();
            parsed.dependencies(deps);
            Definition d = new Definition(
                    s.id(), s.name(), rule, parsed.timeBased(), List.copyOf(deps), s.created(), s.updated());
            ArrayDeque<Change> changes = new ArrayDeque<>();
            for (var c : records.changes(s.id(), MAX_CHANGES))
                changes.add(new Change(c.at(), c.audience(), c.profile(), c.entered()));
            ArrayDeque<SizePoint> sizes = new ArrayDeque<>();
            for (var p : records.sizes(s.id(), MAX_SIZE_POINTS)) sizes.add(new SizePoint(p.at(), p.size()));
            audiences.put(
                    s.id(),
                    new Audience(d, parsed, new TreeSet<>(members.getOrDefault(s.id(), Set.of())), changes, sizes));
        }
        order = topological();
    }

    /** Writes what changed since the last write; on failure, the store's state replaces memory's. */
    private void flush() {
        if (unsaved.isEmpty() && unsavedSizes.isEmpty()) return;
        List<Change> changes = List.copyOf(unsaved);
        List<AudienceRecords.StoredSize> sizes = List.copyOf(unsavedSizes);
        Set<String> trim = Set.copyOf(overflowed);
        unsaved.clear();
        unsavedSizes.clear();
        overflowed.clear();
        try {
            records.record(
                    changes.stream()
                            .map(c -> new AudienceRecords.StoredChange(c.audience(), c.profile(), c.at(), c.entered()))
                            .toList(),
                    sizes,
                    outbound.of(changes),
                    trim,
                    MAX_CHANGES,
                    MAX_SIZE_POINTS);
        } catch (RuntimeException e) {
            restore();
            people = null; // the next settle re-evaluates everyone against what the store holds
            throw e;
        }
    }

    /** Settles each committed batch on {@code executor} as it arrives (without one, {@link #settle} is called by hand). */
    public AudienceService settlingOn(Executor executor) {
        this.executor = executor;
        return this;
    }

    /**
     * Loads everyone, then settles each committed batch on a thread of its own and re-evaluates the
     * time-based audiences every {@link #REFRESH_EVERY}; {@link #close} stops both.
     */
    public AudienceService start() {
        settle();
        var runner = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusion-audiences");
            t.setDaemon(true);
            return t;
        });
        long every = REFRESH_EVERY.toSeconds();
        runner.scheduleWithFixedDelay(this::refreshQuietly, every, every, java.util.concurrent.TimeUnit.SECONDS);
        this.runner = runner;
        return settlingOn(runner);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("audience refresh failed: {}", e.getMessage());
        }
    }

    private void settleQuietly() {
        try {
            settle();
        } catch (RuntimeException e) {
            LOG.warn("audience update failed; retrying from the log in {} s", RETRY_AFTER.toSeconds(), e);
            synchronized (this) {
                people = null;
            }
            // not left for the next event to trigger: destinations would wait for entered/left events
            var r = runner;
            if (r != null && !r.isShutdown()) {
                try {
                    r.schedule(this::settleQuietly, RETRY_AFTER.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // closing
                }
            }
        }
    }

    @Override
    public void close() {
        executor = null;
        if (runner != null) runner.shutdownNow();
    }

    @Override
    public void committed(List<Interaction> interactions, boolean merged) {
        queue.add(new Batch(interactions, merged, false));
        kick();
    }

    @Override
    public void rebuilt() {
        queue.add(new Batch(List.of(), false, true));
        kick();
    }

    private void kick() {
        Executor e = executor;
        if (e != null) {
            try {
                e.execute(this::settleQuietly);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closing: the batch stays queued for whoever settles next
            }
        }
    }

    /** Applies every queued batch; returns once membership reflects every batch committed before the call. */
    public synchronized void settle() {
        settle(false);
    }

    /**
     * Applies every queued batch. Without an audience defined, and unless {@code everyone} (a preview
     * or a save, which evaluate everyone), nothing is kept: the batches are dropped and so is
     * everyone's history, which the next settle that needs it reads from the log again.
     */
    private void settle(boolean everyone) {
        List<Batch> drained = new ArrayList<>();
        for (Batch b; (b = queue.poll()) != null; ) drained.add(b);
        if (audiences.isEmpty() && !everyone) {
            people = null;
            loadedIds = Set.of();
            return;
        }
        boolean reload = people == null, erased = false;
        for (Batch b : drained) {
            reload |= b.merged() || b.rebuilt();
            erased |= b.rebuilt();
        }
        if (reload) {
            // every drained batch committed before it was queued, so the log has it; one committed
            // while the log is read may be in both: the next settle skips what it already has
            codes = new EventHistory.Codes();
            Set<String> ids = new HashSet<>();
            people = load(codes, ids);
            loadedIds = ids;
            dedupeNext = true;
            evaluateEveryone(erased);
            return;
        }
        boolean dedupe = dedupeNext;
        dedupeNext = false;
        Set<String> loaded = loadedIds;
        loadedIds = Set.of();
        Set<String> touched = new HashSet<>();
        for (Batch b : drained) {
            for (Interaction i : b.interactions()) {
                if (dedupe && loaded.contains(i.id())) continue;
                people.computeIfAbsent(i.party(), k -> new EventHistory(codes)).add(i);
                touched.add(i.party());
            }
        }
        if (!touched.isEmpty()) {
            Instant now = now();
            for (String p : touched) evaluate(p, now);
            recordSizes(now);
            flush();
        }
    }

    /** Re-evaluates everyone against the time-based audiences (and so every audience: dependencies follow). */
    public synchronized void refresh() {
        settle(false);
        if (audiences.values().stream().anyMatch(a -> effectivelyTimeBased(a.definition()))) evaluateEveryone(false);
    }

    /** How many interactions are kept in memory now (none while no audience is defined). */
    synchronized int keptInteractions() {
        settle();
        return people == null
                ? 0
                : people.values().stream().mapToInt(EventHistory::size).sum();
    }

    /** How many people's histories are held in memory (tests). */
    synchronized int peopleHeld() {
        return people == null ? 0 : people.size();
    }

    /** Checks {@code rule} as a save would, without saving: the definition it would have. */
    public synchronized Definition validate(String id, String name, JsonNode rule) {
        String checkedId = Rules.id(id == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(id), "id");
        if (name != null && (name.isBlank() || name.length() > 200)) {
            throw new InvalidInput("name", "expected 1 to 200 characters");
        }
        Rule parsed = Rules.parse(rule);
        Set<String> deps = new TreeSet<>();
        parsed.dependencies(deps);
        for (String d : deps) {
            if (!audiences.containsKey(d)) {
                throw new InvalidInput(pathOf(rule, d), "no audience '" + d + "'; defined: " + audiences.keySet());
            }
        }
        if (reaches(deps, checkedId)) {
            throw new InvalidInput(
                    pathOf(
                            rule,
                            deps.stream()
                                    .filter(d -> reaches(Set.of(d), checkedId))
                                    .findFirst()
                                    .orElseThrow()),
                    "audience '" + checkedId + "' would depend on itself (a cycle)");
        }
        Instant now = now();
        Audience old = audiences.get(checkedId);
        return new Definition(
                checkedId,
                name == null ? checkedId : name,
                rule,
                parsed.timeBased(),
                List.copyOf(deps),
                old == null ? now : old.definition().createdAt(),
                now);
    }

    /** Saves a new audience (or replaces one of the same id) and evaluates everyone against it. */
    public synchronized Definition save(String id, String name, JsonNode rule) {
        settle(true);
        Definition d = validate(id, name, rule);
        if (!audiences.containsKey(d.id()) && audiences.size() >= MAX_AUDIENCES) {
            throw new InvalidInput("id", "at most " + MAX_AUDIENCES + " audiences can be defined");
        }
        Audience old = audiences.get(d.id());
        records.saveDefinition(
                new AudienceRecords.StoredDefinition(d.id(), d.name(), rule.toString(), d.createdAt(), d.updatedAt()));
        audiences.put(
                d.id(),
                new Audience(
                        d,
                        Rules.parse(rule),
                        old == null ? new TreeSet<>() : old.members(),
                        old == null ? new ArrayDeque<>() : old.changes(),
                        old == null ? new ArrayDeque<>() : old.sizes()));
        order = topological();
        evaluateEveryone(false);
        return d;
    }

    public synchronized void delete(String id) {
        Audience a = existing(id);
        List<String> users = audiences.values().stream()
                .filter(o -> o.definition().dependsOn().contains(id))
                .map(o -> o.definition().id())
                .toList();
        if (!users.isEmpty())
            throw new InvalidInput("id", "audience '" + id + "' is used by " + users + "; delete those first");
        List<String> destinations = usedBy.apply(id);
        if (!destinations.isEmpty())
            throw new InvalidInput(
                    "id", "audience '" + id + "' is sent to destinations " + destinations + "; delete those first");
        records.deleteDefinition(a.definition().id());
        audiences.remove(a.definition().id());
        order = topological();
    }

    public synchronized List<Definition> list() {
        return audiences.values().stream().map(Audience::definition).toList();
    }

    public synchronized Definition definition(String id) {
        return existing(id).definition();
    }

    /** What {@code rule} would select now, over everyone, without saving it. */
    public synchronized Preview preview(JsonNode rule, int sampleSize) {
        settle(true);
        Definition d = validate("preview", null, rule);
        Rule parsed = Rules.parse(rule);
        Instant now = now();
        List<String> sample = new ArrayList<>();
        int size = 0;
        for (var e : new TreeSet<>(people.keySet())) {
            if (parsed.test(facts(e, now, a -> existing(a).members().contains(e)))) {
                size++;
                if (sample.size() < sampleSize) sample.add(e);
            }
        }
        return new Preview(size, people.size(), sample, d.timeBased(), d.dependsOn());
    }

    public synchronized Page members(String id, int offset, int limit) {
        if (offset < 0) throw new InvalidInput("offset", "expected 0 or more but was " + offset);
        if (limit < 1 || limit > MAX_PAGE)
            throw new InvalidInput("limit", "expected 1 to " + MAX_PAGE + " but was " + limit);
        settle();
        Audience a = existing(id);
        List<String> page = a.members().stream().skip(offset).limit(limit).toList();
        return new Page(id, a.members().size(), offset, limit, page);
    }

    public synchronized Set<String> members(String id) {
        settle();
        return Collections.unmodifiableSet(new TreeSet<>(existing(id).members()));
    }

    public synchronized History history(String id, int changes) {
        settle();
        Audience a = existing(id);
        List<Change> newest = new ArrayList<>(a.changes());
        Collections.reverse(newest);
        return new History(
                id,
                a.members().size(),
                List.copyOf(a.sizes()),
                newest.stream().limit(changes).toList());
    }

    /** The audiences {@code profile} is in now, and its entered/left changes, newest first. */
    public record Membership(String profile, List<String> audiences, List<Change> changes) {}

    public synchronized Membership of(String profile) {
        settle();
        List<String> in = audiences.values().stream()
                .filter(a -> a.members().contains(profile))
                .map(a -> a.definition().id())
                .toList();
        List<Change> changes = new ArrayList<>();
        for (Audience a : audiences.values())
            for (Change c : a.changes()) if (c.profile().equals(profile)) changes.add(c);
        changes.sort((x, y) -> y.at().compareTo(x.at()));
        return new Membership(profile, in, changes);
    }

    /** Whether {@code profile} is in audience {@code id} now (for scoping decisions and statistics). */
    public synchronized boolean contains(String id, String profile) {
        settle();
        return existing(id).members().contains(profile);
    }

    /** Whether {@code profile} is in audience {@code id} now; false when no such audience is defined. */
    public synchronized boolean isMember(String profile, String id) {
        settle();
        Audience a = audiences.get(id);
        return a != null && a.members().contains(profile);
    }

    /**
     * Membership of audience {@code id} computed from nothing: the log read afresh and every
     * audience evaluated for everyone. The live membership must always equal it (tested).
     */
    public synchronized Set<String> evaluateFromLog(String id) {
        existing(id);
        Map<String, EventHistory> all = load(new EventHistory.Codes(), new HashSet<>());
        Instant now = now();
        Map<String, Set<String>> result = new HashMap<>();
        for (Audience a : order) result.put(a.definition().id(), new TreeSet<>());
        for (String p : all.keySet()) {
            Map<String, Boolean> in = new HashMap<>();
            for (Audience a : order) {
                boolean yes =
                        a.rule().test(new PersonFacts(p, now, all.get(p), sources, d -> in.getOrDefault(d, false)));
                in.put(a.definition().id(), yes);
                if (yes) result.get(a.definition().id()).add(p);
            }
        }
        return result.get(id);
    }

    /** Everyone's history read from the log, numbered by {@code codes}; the ids read go into {@code ids}. */
    private Map<String, EventHistory> load(EventHistory.Codes codes, Set<String> ids) {
        Map<String, EventHistory> all = new HashMap<>();
        store.forEachInteraction(i -> {
            all.computeIfAbsent(i.party(), k -> new EventHistory(codes)).add(i);
            ids.add(i.id());
        });
        return all;
    }

    private void evaluateEveryone(boolean erased) {
        Instant now = now();
        Set<String> everyone = new HashSet<>(people.keySet());
        for (Audience a : audiences.values()) {
            for (String m : List.copyOf(a.members())) {
                if (people.containsKey(m)) continue;
                a.members().remove(m);
                if (erased) purge(m);
                else everyone.add(m);
            }
        }
        for (String p : everyone) evaluate(p, now);
        recordSizes(now);
        flush();
    }

    private void purge(String profile) {
        for (Audience a : audiences.values())
            a.changes().removeIf(c -> c.profile().equals(profile));
    }

    private void evaluate(String profile, Instant now) {
        EventHistory mine = people.get(profile);
        Map<String, Boolean> in = new HashMap<>();
        for (Audience a : order) {
            boolean yes = mine != null
                    && !mine.isEmpty()
                    && a.rule().test(facts(profile, now, d -> in.getOrDefault(d, false), mine));
            in.put(a.definition().id(), yes);
            boolean was = a.members().contains(profile);
            if (yes == was) continue;
            if (yes) a.members().add(profile);
            else a.members().remove(profile);
            Change change = new Change(now, a.definition().id(), profile, yes);
            a.changes().addLast(change);
            unsaved.add(change);
            while (a.changes().size() > MAX_CHANGES) {
                a.changes().removeFirst();
                overflowed.add(a.definition().id());
            }
        }
    }

    private PersonFacts facts(String profile, Instant now, java.util.function.Predicate<String> member) {
        return facts(profile, now, member, people.getOrDefault(profile, new EventHistory(codes)));
    }

    private PersonFacts facts(
            String profile, Instant now, java.util.function.Predicate<String> member, EventHistory mine) {
        return new PersonFacts(profile, now, mine, sources, member);
    }

    private void recordSizes(Instant now) {
        for (Audience a : audiences.values()) {
            SizePoint last = a.sizes().peekLast();
            if (last != null && last.size() == a.members().size()) continue;
            a.sizes().addLast(new SizePoint(now, a.members().size()));
            unsavedSizes.add(new AudienceRecords.StoredSize(
                    a.definition().id(), now, a.members().size()));
            while (a.sizes().size() > MAX_SIZE_POINTS) {
                a.sizes().removeFirst();
                overflowed.add(a.definition().id());
            }
        }
    }

    private boolean effectivelyTimeBased(Definition d) {
        if (d.timeBased()) return true;
        for (String dep : d.dependsOn())
            if (audiences.containsKey(dep)
                    && effectivelyTimeBased(audiences.get(dep).definition())) return true;
        return false;
    }

    /** Whether following dependencies from {@code from} reaches {@code target}. */
    private boolean reaches(Set<String> from, String target) {
        ArrayDeque<String> todo = new ArrayDeque<>(from);
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String d = todo.poll();
            if (d.equals(target)) return true;
            if (!seen.add(d) || !audiences.containsKey(d)) continue;
            todo.addAll(audiences.get(d).definition().dependsOn());
        }
        return false;
    }

    private List<Audience> topological() {
        List<Audience> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String id : audiences.keySet()) visit(id, done, out);
        return List.copyOf(out);
    }

    private void visit(String id, Set<String> done, List<Audience> out) {
        if (!done.add(id)) return;
        Audience a = audiences.get(id);
        if (a == null) return; // a dependency missing from the store: the rule then sees no members
        for (String d : a.definition().dependsOn()) visit(d, done, out);
        out.add(a);
    }

    private Audience existing(String id) {
        Audience a = audiences.get(id);
        if (a == null) throw new NotFound("no audience '" + id + "'");
        return a;
    }

    /** An audience that is not defined (404). */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The JSON path of the first {@code {"audience": id}} in {@code rule}. */
    private static String pathOf(JsonNode rule, String id) {
        String p = find(rule, id, "$");
        return p == null ? "$" : p;
    }

    private static String find(JsonNode node, String id, String path) {
        if (node == null || !node.isObject()) return null;
        if (node.has("audience") && id.equals(node.get("audience").asText())) return path + ".audience";
        for (String k : List.of("all", "any")) {
            JsonNode list = node.get(k);
            if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    String p = find(list.get(i), id, path + "." + k + "[" + i + "]");
                    if (p != null) return p;
                }
            }
        }
        return node.has("not") ? find(node.get("not"), id, path + ".not") : null;
    }
}
