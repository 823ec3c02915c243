package fusion.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A person as Fusion knows them: identities, traits, activity and the merges that formed them. */
public record ProfileView(String id, List<String> identities, Map<String, Object> traits,
                          Instant firstSeen, Instant lastSeen, long events, List<MergeView> merges) {

    /** Profile {@code absorbed} was merged into this one (or, if {@code merged} is false, refused). */
    public record MergeView(String absorbed, boolean merged, String reason, Instant at, long eventSeq) {}
}
