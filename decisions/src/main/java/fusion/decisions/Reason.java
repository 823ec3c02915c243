package fusion.decisions;

import java.util.Objects;

/** One reason for a decision: a code for machines and a sentence for people. */
public record Reason(ReasonCode code, String sentence) {
    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(sentence, "sentence");
    }

    public static Reason of(ReasonCode code, String sentence) {
        return new Reason(code, sentence);
    }

    @Override
    public String toString() {
        return code.label() + ": " + sentence;
    }
}
