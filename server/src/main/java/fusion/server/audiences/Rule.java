package fusion.server.audiences;

import java.util.List;
import java.util.Set;

/**
 * A parsed, validated audience rule (the JSON language of docs/AUDIENCES.md). {@link Rules#parse}
 * makes them; {@link #test} evaluates one person.
 */
sealed interface Rule {
    boolean test(Facts facts);

    /** Whether the answer can change with time alone (a window, a decaying score, a prediction, consent expiry, traits). */
    boolean timeBased();

    /** The audiences this rule refers to, directly. */
    void dependencies(Set<String> into);

    record All(List<Rule> rules) implements Rule {
        public boolean test(Facts f) {
            for (Rule r : rules) if (!r.test(f)) return false;
            return true;
        }

        public boolean timeBased() {
            return rules.stream().anyMatch(Rule::timeBased);
        }

        public void dependencies(Set<String> into) {
            rules.forEach(r -> r.dependencies(into));
        }
    }

    record Any(List<Rule> rules) implements Rule {
        public boolean test(Facts f) {
            for (Rule r : rules) if (r.test(f)) return true;
            return false;
        }

        public boolean timeBased() {
            return rules.stream().anyMatch(Rule::timeBased);
        }

        public void dependencies(Set<String> into) {
            rules.forEach(r -> r.dependencies(into));
        }
    }

    record Not(Rule rule) implements Rule {
        public boolean test(Facts f) {
            return !rule.test(f);
        }

        public boolean timeBased() {
            return rule.timeBased();
        }

        public void dependencies(Set<String> into) {
            rule.dependencies(into);
        }
    }

    /** Membership of another audience (whose own time-basedness the service accounts for). */
    record Member(String audience) implements Rule {
        public boolean test(Facts f) {
            return f.member(audience);
        }

        public boolean timeBased() {
            return false;
        }

        public void dependencies(Set<String> into) {
            into.add(audience);
        }
    }

    /** A fact about the person compared by one operator. */
    record Condition(Fact fact, Operator operator) implements Rule {
        public boolean test(Facts f) {
            return operator.test(fact.value(f), f.now());
        }

        public boolean timeBased() {
            return fact.timeBased() || operator.timeBased();
        }

        public void dependencies(Set<String> into) {}
    }
}
