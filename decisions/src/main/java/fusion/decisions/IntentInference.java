package fusion.decisions;

import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads intents and the state of the customer's basic needs from their trajectory. Pure: the same
 * interactions and instant always give the same answer; events after {@code now} are ignored.
 *
 * <p>Matters and the state of needs are read within the lookback (30 days by default): a failure
 * older than that, with no contact since, no longer blocks every offer forever.
 *
 * <p>A matter (complaint, question, breakage, bad experience) stays open until a later interaction
 * with the brand meets the need ({@code need = met} on a service, complaint or usage event), an
 * accepted fix included.
 *
 * <p>Words are read from what the customer said (an event's description), never from Fusion's own
 * reports of a decision's outcome ({@link OutcomeReports}): {@code "accepted: plan-b-replacement"}
 * is a label, and reading "replacement" in it as a new breakage would keep open the matter the
 * accepted fix just closed.
 * Only interactions with the customer's own brand count, except research, which counts wherever
 * it happened (researching a competitor's product is still researching).
 */
public final class IntentInference {

    /**
     * @param lookback          how far back matters are looked for
     * @param researchWindow    research events closer than this form one intent
     * @param researchMinEvents how many research events on one subject make an intent
     * @param renewalPeriod     time between renewals (a year for most memberships)
     * @param renewalWindow     how long before (and after) the due date renewal is relevant
     */
    public record Settings(
            Duration lookback,
            Duration researchWindow,
            int researchMinEvents,
            Duration renewalPeriod,
            Duration renewalWindow) {
        public Settings {
            Objects.requireNonNull(lookback, "lookback");
            Objects.requireNonNull(researchWindow, "researchWindow");
            Objects.requireNonNull(renewalPeriod, "renewalPeriod");
            Objects.requireNonNull(renewalWindow, "renewalWindow");
            if (researchMinEvents < 1) {
                throw new IllegalArgumentException("researchMinEvents: expected >= 1 but was " + researchMinEvents);
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofDays(30), Duration.ofDays(14), 2, Duration.ofDays(365), Duration.ofDays(30));
        }
    }

    /**
     * Intents, strongest matters first, and whether a basic need is unmet.
     *
     * @param needUnmet  the latest known need failed, or a complaint or breakage is open
     * @param needReason why, in words (empty when needs are not failing)
     * @param needsMet   the latest known need was met and nothing is open: the base of the
     *                   pyramid holds, so delight may be offered
     */
    public record Inference(List<Intent> intents, boolean needUnmet, String needReason, boolean needsMet) {
        public Inference {
            intents = List.copyOf(intents);
        }

        public boolean has(Intent.Kind kind) {
            return intents.stream().anyMatch(i -> i.kind() == kind);
        }

        public Optional<Intent> first(Intent.Kind kind) {
            return intents.stream().filter(i -> i.kind() == kind).findFirst();
        }
    }

    private static final List<String> BREAKAGE_WORDS = List.of(
            "lost",
            "broke",
            "broken",
            "ran out",
            "run out",
            "running out",
            "stolen",
            "damaged",
            "not working",
            "stopped working",
            "doesn't work",
            "does not work",
            "empty",
            "replacement");

    private final Settings settings;

    public IntentInference(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Inference infer(List<Interaction> trajectory, String brand, Instant now) {
        List<Interaction> all = trajectory.stream()
                .filter(i -> !i.time().isAfter(now))
                .sorted(Comparator.comparing(Interaction::time).thenComparing(Interaction::id))
                .toList();
        List<Interaction> own =
                all.stream().filter(i -> i.brand().id().equals(brand)).toList();
        Instant from = now.minus(settings.lookback());
        List<Interaction> recent =
                own.stream().filter(i -> !i.time().isBefore(from)).toList();

        List<Intent> intents = new ArrayList<>();
        lostOrBroken(recent).ifPresent(intents::add);
        openComplaint(recent).ifPresent(intents::add);
        badExperience(recent).ifPresent(intents::add);
        openQuestion(recent).ifPresent(intents::add);
        renewalDue(own, now).ifPresent(intents::add);
        researching(all, now).ifPresent(intents::add);
        recentPurchase(recent).ifPresent(intents::add);
        polite(recent).ifPresent(intents::add);

        Optional<Interaction> lastKnown = lastMatching(recent, i -> i.outcome().need() != Need.UNKNOWN);
        boolean lastFailed =
                lastKnown.map(i -> i.outcome().need() == Need.FAILED).orElse(false);
        String reason = "";
        if (lastFailed) {
            reason = "the latest known need failed ('" + subject(lastKnown.get()) + "')";
        } else {
            reason = intents.stream()
                    .filter(IntentInference::isOpenBasicMatter)
                    .findFirst()
                    .map(Intent::sentence)
                    .orElse("");
        }
        boolean unmet = !reason.isEmpty();
        boolean met = !unmet
                && lastKnown.map(i -> i.outcome().need() == Need.MET).orElse(false)
                && intents.stream()
                        .noneMatch(
                                i -> i.kind() == Intent.Kind.BAD_EXPERIENCE || i.kind() == Intent.Kind.OPEN_QUESTION);
        return new Inference(intents, unmet, reason, met);
    }

    private static boolean isOpenBasicMatter(Intent i) {
        return i.kind() == Intent.Kind.LOST_OR_BROKEN || i.kind() == Intent.Kind.OPEN_COMPLAINT;
    }

    /** A later interaction in which the brand met the need settles every matter before it. */
    private static boolean settledAfter(List<Interaction> events, Interaction matter) {
        return events.stream()
                .anyMatch(i -> i.time().isAfter(matter.time())
                        && i.outcome().need() == Need.MET
                        && (i.purpose() == Purpose.SERVICE
                                || i.purpose() == Purpose.COMPLAINT
                                || i.purpose() == Purpose.USAGE));
    }

    private Optional<Intent> lostOrBroken(List<Interaction> recent) {
        return lastMatching(
                        recent,
                        i -> mentionsBreakage(i)
                                || (i.purpose() == Purpose.USAGE && i.outcome().need() == Need.FAILED))
                .filter(i -> !settledAfter(recent, i))
                .map(i -> intent(Intent.Kind.LOST_OR_BROKEN, i, i.time(), 1));
    }

    private Optional<Intent> openComplaint(List<Interaction> recent) {
        Optional<Interaction> first = recent.stream()
                .filter(i -> i.purpose() == Purpose.COMPLAINT)
                .filter(i -> !settledAfter(recent, i))
                .findFirst();
        return first.map(c -> {
            List<Interaction> since = recent.stream()
                    .filter(i -> !i.time().isBefore(c.time()))
                    .filter(i -> i.purpose() == Purpose.COMPLAINT || i.purpose() == Purpose.SERVICE)
                    .toList();
            int effort = since.stream()
                            .mapToInt(i ->
                                    i.outcome().repeatContacts() + i.outcome().channelSwitches())
                            .sum()
                    + (int) since.stream()
                            .filter(i -> i.purpose() == Purpose.COMPLAINT)
                            .count()
                    - 1;
            Interaction latest = since.get(since.size() - 1);
            return new Intent(
                    Intent.Kind.OPEN_COMPLAINT,
                    subject(c),
                    c.time(),
                    latest.contactPoint().channel(),
                    effort,
                    latest.id());
        });
    }

    private Optional<Intent> badExperience(List<Interaction> recent) {
        return lastMatching(
                        recent,
                        i -> i.outcome().need() != Need.UNKNOWN
                                || i.outcome().staff() != Politeness.UNKNOWN
                                || i.outcome().hasSentiment())
                .filter(i -> i.outcome().need() == Need.FAILED
                        || i.outcome().staff() == Politeness.RUDE
                        || (i.outcome().hasSentiment() && i.outcome().sentiment() <= -0.3))
                .map(i -> intent(Intent.Kind.BAD_EXPERIENCE, i, i.time(), 1));
    }

    private Optional<Intent> openQuestion(List<Interaction> recent) {
        return lastMatching(
                        recent,
                        i -> i.initiator() == Initiator.CONSUMER
                                && (i.purpose() == Purpose.RESEARCH || i.purpose() == Purpose.SERVICE)
                                && (i.outcome().need() == Need.FAILED
                                        || (!OutcomeReports.isReport(i)
                                                && (i.description().contains("?")
                                                        || i.description()
                                                                .toLowerCase(Locale.ROOT)
                                                                .contains("question")))))
                .filter(q -> recent.stream()
                        .noneMatch(
                                i -> i.time().isAfter(q.time()) && i.outcome().need() == Need.MET))
                .map(i -> intent(Intent.Kind.OPEN_QUESTION, i, i.time(), 1));
    }

    private Optional<Intent> renewalDue(List<Interaction> own, Instant now) {
        return lastMatching(own, i -> i.purpose() == Purpose.RENEWAL).flatMap(r -> {
            Instant due = r.time().plus(settings.renewalPeriod());
            boolean inWindow = !now.isBefore(due.minus(settings.renewalWindow()))
                    && !now.isAfter(due.plus(settings.renewalWindow()));
            return inWindow ? Optional.of(intent(Intent.Kind.RENEWAL_DUE, r, due, 1)) : Optional.empty();
        });
    }

    private Optional<Intent> researching(List<Interaction> all, Instant now) {
        Instant from = now.minus(settings.researchWindow());
        List<Interaction> research = all.stream()
                .filter(i -> !i.time().isBefore(from))
                .filter(i -> i.purpose() == Purpose.RESEARCH && i.initiator() == Initiator.CONSUMER)
                .toList();
        Map<String, List<Interaction>> bySubject = new HashMap<>();
        research.forEach(i ->
                bySubject.computeIfAbsent(subject(i), k -> new ArrayList<>()).add(i));
        return bySubject.values().stream()
                .filter(l -> l.size() >= settings.researchMinEvents())
                .filter(l -> all.stream()
                        .noneMatch(p -> p.purpose() == Purpose.PURCHASE
                                && p.time().isAfter(l.get(0).time())))
                .max(Comparator.<List<Interaction>>comparingInt(List::size)
                        .thenComparing(l -> l.get(l.size() - 1).time()))
                .map(l -> {
                    Interaction latest = l.get(l.size() - 1);
                    return new Intent(
                            Intent.Kind.RESEARCHING,
                            subject(latest),
                            l.get(0).time(),
                            latest.contactPoint().channel(),
                            l.size(),
                            latest.id());
                });
    }

    private Optional<Intent> recentPurchase(List<Interaction> recent) {
        return lastMatching(
                        recent,
                        i -> i.purpose() == Purpose.PURCHASE && i.outcome().need() == Need.MET)
                .map(i -> intent(Intent.Kind.RECENT_PURCHASE, i, i.time(), 1));
    }

    private Optional<Intent> polite(List<Interaction> recent) {
        List<Interaction> polite = recent.stream()
                .filter(i -> i.outcome().consumer() == Politeness.POLITE)
                .toList();
        if (polite.isEmpty()) {
            return Optional.empty();
        }
        Interaction latest = polite.get(polite.size() - 1);
        return Optional.of(
                intent(Intent.Kind.POLITE_BEHAVIOUR, latest, polite.get(0).time(), polite.size()));
    }

    private static Intent intent(Intent.Kind kind, Interaction i, Instant since, int strength) {
        return new Intent(kind, subject(i), since, i.contactPoint().channel(), strength, i.id());
    }

    private static boolean mentionsBreakage(Interaction i) {
        if (OutcomeReports.isReport(i)) {
            return false;
        }
        String d = i.description().toLowerCase(Locale.ROOT);
        return BREAKAGE_WORDS.stream().anyMatch(d::contains);
    }

    /** The product or matter: the first co-party if any (the product), else the description. */
    static String subject(Interaction i) {
        if (!i.coParties().isEmpty()) {
            return i.coParties().get(0);
        }
        return i.description().isBlank() ? i.contactPoint().id() : i.description();
    }

    private static Optional<Interaction> lastMatching(List<Interaction> events, Predicate<Interaction> p) {
        for (int k = events.size() - 1; k >= 0; k--) {
            if (p.test(events.get(k))) {
                return Optional.of(events.get(k));
            }
        }
        return Optional.empty();
    }
}
