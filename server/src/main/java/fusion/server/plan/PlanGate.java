package fusion.server.plan;

import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.TrackingPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracking plan at the ingest edge: a batch is checked in the mode of its source before it is
 * written. {@code allow}: nothing is checked. {@code flag}: the violations are counted once the
 * batch is accepted ({@link Checked#accepted}). {@code block}: a batch with a violation is
 * refused whole, as any invalid call, with 400 naming {@code batch[i]} and the property, and its
 * violations are counted as blocked.
 */
public final class PlanGate {
    private final TrackingPlan plan;
    private final PlanViolations violations;

    public PlanGate(TrackingPlan plan, PlanViolations violations) {
        this.plan = java.util.Objects.requireNonNull(plan, "plan");
        this.violations = java.util.Objects.requireNonNull(violations, "violations");
    }

    public TrackingPlan plan() {
        return plan;
    }

    public PlanViolations violations() {
        return violations;
    }

    /** A checked batch: count its violations with {@link #accepted} once it is written. */
    public final class Checked {
        private final String source;
        private final List<SegmentCall> calls;
        private final List<List<TrackingPlan.Violation>> found;

        private Checked(String source, List<SegmentCall> calls, List<List<TrackingPlan.Violation>> found) {
            this.source = source;
            this.calls = calls;
            this.found = found;
        }

        public void accepted() {
            for (int i = 0; i < calls.size(); i++) {
                if (!found.get(i).isEmpty()) violations.record(source, calls.get(i), found.get(i), false);
            }
        }
    }

    /** Checks {@code calls} from {@code source}; under {@code block}, throws for the first violation. */
    public Checked check(String source, List<SegmentCall> calls) {
        TrackingPlan.Mode mode = plan.mode(source);
        List<List<TrackingPlan.Violation>> found = new ArrayList<>(calls.size());
        if (mode == TrackingPlan.Mode.ALLOW) {
            for (int i = 0; i < calls.size(); i++) found.add(List.of());
            return new Checked(source, calls, found);
        }
        int first = -1;
        for (int i = 0; i < calls.size(); i++) {
            List<TrackingPlan.Violation> v = plan.check(calls.get(i));
            found.add(v);
            if (first < 0 && !v.isEmpty()) first = i;
        }
        if (mode == TrackingPlan.Mode.BLOCK && first >= 0) {
            for (int i = 0; i < calls.size(); i++) {
                if (!found.get(i).isEmpty()) violations.record(source, calls.get(i), found.get(i), true);
            }
            TrackingPlan.Violation v = found.get(first).get(0);
            throw new InvalidInput(
                    "batch[" + first + "]." + v.field(),
                    v.problem() + "; source '" + source + "' blocks calls that break the tracking plan");
        }
        return new Checked(source, calls, found);
    }
}
