package fusion.core.identity;

import java.util.List;

/**
 * The outcome of resolving one call's identities: the profile the call lands on, identities to
 * link to it, and profiles to merge into it (each with the reason, so a merge can be explained).
 */
public record Resolution(String profile, List<Identity> links, List<Merge> merges, List<String> notes) {
    public Resolution {
        links = List.copyOf(links);
        merges = List.copyOf(merges);
        notes = List.copyOf(notes);
    }

    /** Profile {@code absorbed} becomes part of {@code survivor}. */
    public record Merge(String survivor, String absorbed, String reason) {}
}
