package fusion.decisions;

import java.util.Objects;

/** The consent ledger's answer for one use at one instant, with its reason ("granted until ..."). */
public record ConsentVerdict(boolean allowed, String reason) {
    public ConsentVerdict {
        Objects.requireNonNull(reason, "reason");
    }

    public static ConsentVerdict allow(String reason) {
        return new ConsentVerdict(true, reason);
    }

    public static ConsentVerdict deny(String reason) {
        return new ConsentVerdict(false, reason);
    }
}
