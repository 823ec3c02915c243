package fusion.decisions;

import java.util.Optional;

/**
 * The rule of one kind of action: does it fit this customer now? Caps, consent, cooldowns, quiet
 * hours and value gates are the service's job; a type only judges relevance, so each rule stays
 * one screen long and testable alone. Registered in code by {@link ActionTypes}.
 */
@FunctionalInterface
public interface ActionType {

    /** Why the action fits, in a sentence, or empty when it does not. */
    Optional<String> relevance(ActionSpec spec, Situation situation);

    /**
     * Whether the action repairs a basic need (the base of the pyramid). While a need is unmet,
     * only such actions are eligible.
     */
    default boolean fixesNeeds() {
        return false;
    }
}
