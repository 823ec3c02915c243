package fusion.server.cli;

import fusion.core.model.Interaction;
import fusion.decisions.ActionSpec;
import fusion.decisions.Catalogue;
import fusion.decisions.Decision;
import fusion.decisions.Holdout;
import fusion.decisions.UpliftEstimate;
import fusion.decisions.UpliftOutcome;
import fusion.server.decisions.HoldoutUplift;
import fusion.store.DecisionRecords;
import fusion.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * {@code ./fusion simulate --uplift ACTION}: the replay with the action given a holdout, and the
 * uplift estimated from the simulated arms with the outcomes that history holds. What the figure
 * means depends on history itself: the people drawn into the holdout were really left without the
 * action only if it was live then with the same holdout (the same share and seed draw the same
 * people). Otherwise both arms were treated alike in history, and the figure is only the
 * difference between the people the action would have been given and its holdout; the report
 * labels which it is.
 */
final class UpliftOnHistory {
    private UpliftOnHistory() {}

    /** The catalogue with {@code action}'s holdout replaced by {@code holdout}. */
    static Catalogue withHoldout(Catalogue catalogue, String action, Holdout holdout) {
        List<ActionSpec> actions = new ArrayList<>();
        for (ActionSpec a : catalogue.actions()) actions.add(a.id().equals(action) ? a.withHoldout(holdout) : a);
        return new Catalogue(actions);
    }

    /** Each person's first simulated decision for {@code action}: an act, or held out of it. */
    static List<HoldoutUplift.Exposure> exposures(List<Decision> decisions, String action, String brand) {
        Map<String, HoldoutUplift.Exposure> first = new LinkedHashMap<>();
        for (Decision d : decisions) {
            boolean act = d instanceof Decision.Act a && a.actionId().equals(action);
            boolean held = d instanceof Decision.Nothing n && n.heldOutOf().equals(Optional.of(action));
            if (act || held) {
                first.putIfAbsent(d.customer(), new HoldoutUplift.Exposure(d.customer(), brand, d.decidedAt(), held));
            }
        }
        return List.copyOf(first.values());
    }

    /** The estimate, measured at {@code end} (the end of the replayed period). */
    static HoldoutUplift.Report measure(
            Store store,
            List<Interaction> history,
            List<Decision> decisions,
            String action,
            Holdout holdout,
            UpliftOutcome outcome,
            int days,
            String brand,
            Instant end) {
        Map<String, List<Interaction>> byPerson = new HashMap<>();
        for (Interaction i : history)
            byPerson.computeIfAbsent(i.party(), p -> new ArrayList<>()).add(i);
        ToDoubleFunction<HoldoutUplift.Exposure> value = switch (outcome) {
            case PURCHASE, LAPSE ->
                e -> HoldoutUplift.yesNo(outcome, byPerson.getOrDefault(e.profile(), List.of()), e, days);
            case EXPERIENCE, FUSION -> e -> HoldoutUplift.scoreChange(outcome, store, e, days);
        };
        return HoldoutUplift.report(
                action,
                holdout,
                outcome,
                days,
                Optional.empty(),
                p -> true,
                end,
                exposures(decisions, action, brand),
                value);
    }

    /**
     * Whether history holds a real holdout of {@code action} in [{@code from}, {@code to}): the
     * store recorded both acts and held-out people for it, under the same holdout as simulated.
     */
    static String label(Store store, String action, Holdout simulated, Holdout live, Instant from, Instant to) {
        long acts = 0, held = 0;
        for (DecisionRecords.DecisionRecord d : store.decisions().decisionsForAction(action)) {
            if ((from != null && d.at().isBefore(from)) || (to != null && !d.at().isBefore(to))) continue;
            if (d.outcome() == DecisionRecords.Outcome.ACT) acts++;
            else held++;
        }
        if (acts > 0 && held > 0 && simulated.equals(live)) {
            return String.format(
                    Locale.ROOT,
                    "**A real holdout.** In this period the store records %d decisions of `%s` and %d people held"
                            + " out of it, under the same holdout as simulated (share %s, seed %d): the people drawn"
                            + " into the holdout here were not given the action then, so the difference estimates"
                            + " what the action did.",
                    acts,
                    action,
                    held,
                    simulated.share(),
                    simulated.seed());
        }
        return String.format(
                Locale.ROOT,
                "**Not a counterfactual.** The store records %s in this period, so in history the people drawn"
                        + " into the holdout were treated like everyone else. The figure is the difference in the"
                        + " outcome between the people `%s` would have been given and its holdout: it shows how"
                        + " different the two draws are by chance, and should be near 0; it is not the action's"
                        + " effect. For that, declare the holdout in the catalogue, let it run, and read"
                        + " `GET /api/actions/%s/uplift`.",
                acts == 0 && held == 0
                        ? "no decision of `" + action + "`"
                        : held == 0
                                ? acts + " decisions of `" + action + "` and no one held out of it"
                                : "a holdout of `" + action + "` other than the simulated one (share " + live.share()
                                        + ", seed " + live.seed() + ")",
                action,
                action);
    }

    /** The report's section. */
    static String markdown(HoldoutUplift.Report r, String label) {
        StringBuilder md = new StringBuilder();
        md.append("## Uplift of `").append(r.action()).append("` on history\n\n");
        md.append(label).append("\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Holdout simulated: share %s, seed %d. Outcome `%s`: %s. Each person counts from their first"
                        + " simulated decision for the action, once %d days have passed before %s"
                        + " (%d people decided later are not counted).\n\n",
                r.holdout().share(),
                r.holdout().seed(),
                r.outcome().label(),
                r.outcome().meaning(r.days()),
                r.days(),
                r.now(),
                r.pending()));
        md.append("| arm | people | ")
                .append(r.outcome().yesNo() ? "rate" : "mean change")
                .append(" |\n");
        md.append("|---|---:|---:|\n");
        md.append(row("would have been given it", r.treated(), r.treatedFigure(), r.outcome()));
        md.append(row("held out", r.heldOut(), r.heldOutFigure(), r.outcome()));
        md.append('\n').append(r.estimate().sentence()).append(".\n");
        if (r.estimate() instanceof UpliftEstimate.TooFew) md.append('\n');
        return md.toString();
    }

    private static String row(String arm, long people, java.util.OptionalDouble figure, UpliftOutcome outcome) {
        String f = figure.isEmpty()
                ? "-"
                : outcome.yesNo()
                        ? String.format(Locale.ROOT, "%.1f%%", 100 * figure.getAsDouble())
                        : String.format(Locale.ROOT, "%+.3f", figure.getAsDouble());
        return "| " + arm + " | " + people + " | " + f + " |\n";
    }
}
