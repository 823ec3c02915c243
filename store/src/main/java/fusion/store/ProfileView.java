package fusion.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A person as Fusion knows them: identities, traits, activity and the merges that formed them. */
public record ProfileView(
        String id,
        List<String> identities,
        Map<String, Object> traits,
        Instant firstSeen,
        Instant lastSeen,
        long events,
        List<MergeView> merges) {

    /**
     * The person's user id, the name the customer 360 shows them by (their first, if they have
     * several); null while they are known only by anonymous ids. The profile's own id is its first
     * identity, often an SDK's anonymous id, and stays the key.
     */
    @JsonProperty("userId")
    public String userId() {
        for (String identity : identities) {
            if (identity.startsWith("user:")) {
                return identity.substring("user:".length());
            }
        }
        return null;
    }

    /** Profile {@code absorbed} was merged into this one (or, if {@code merged} is false, refused). */
    public record MergeView(String absorbed, boolean merged, String reason, Instant at, long eventSeq) {}
}
