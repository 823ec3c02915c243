package fusion.core.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which profile a call belongs to and which profiles merge, without touching storage.
 *
 * <p>Rules, in the spirit of Segment's identity resolution: a call carrying both a user id and
 * an anonymous id links them; when they already belong to two profiles, the anonymous profile
 * is merged into the known one, unless it is already known under a different user id (a shared
 * device must not fuse two customers): then the call lands on the known profile and the refusal
 * is noted. {@code alias} is an explicit instruction and always merges. A new profile takes the
 * first id it is seen with as its id (its key, {@code user:42}, when another person's profile
 * already has that name), which keeps ids stable and replay deterministic.
 */
public final class IdentityResolver {

    public Resolution resolve(String userId, String anonymousId, IdentityLookup graph) {
        Identity user = userId == null ? null : Identity.user(userId);
        Identity anon = anonymousId == null ? null : Identity.anonymous(anonymousId);
        if (user == null && anon == null) {
            throw new IllegalArgumentException("a call needs a userId or an anonymousId");
        }
        Optional<String> pu = user == null ? Optional.empty() : graph.profileOf(user);
        Optional<String> pa = anon == null ? Optional.empty() : graph.profileOf(anon);
        List<Identity> links = new ArrayList<>(2);
        if (pu.isEmpty() && pa.isEmpty()) {
            String profile = newProfile(user != null ? user : anon, graph);
            if (user != null) links.add(user);
            if (anon != null) links.add(anon);
            return new Resolution(profile, links, List.of(), List.of());
        }
        if (pu.isPresent() && pa.isEmpty()) {
            if (anon != null) links.add(anon);
            return new Resolution(pu.get(), links, List.of(), List.of());
        }
        if (pu.isEmpty()) {
            String profile = pa.get();
            if (user == null) {
                return new Resolution(profile, links, List.of(), List.of());
            }
            if (knownAsSomeoneElse(profile, user, graph)) {
                links.add(user);
                return new Resolution(
                        newProfile(user, graph),
                        links,
                        List.of(),
                        List.of("anonymousId " + anon.value() + " belongs to another user; not merged"));
            }
            links.add(user);
            return new Resolution(profile, links, List.of(), List.of());
        }
        String known = pu.get();
        String anonymous = pa.get();
        if (known.equals(anonymous)) {
            return new Resolution(known, links, List.of(), List.of());
        }
        if (knownAsSomeoneElse(anonymous, user, graph)) {
            return new Resolution(
                    known,
                    links,
                    List.of(),
                    List.of("anonymousId " + anon.value() + " belongs to another user; not merged"));
        }
        String reason = "anonymousId " + anon.value() + " seen with userId " + user.value();
        return new Resolution(known, links, List.of(new Resolution.Merge(known, anonymous, reason)), List.of());
    }

    /** {@code alias}: the person once known as {@code previousId} is {@code userId}. */
    public Resolution alias(String previousId, String userId, IdentityLookup graph) {
        Identity user = Identity.user(userId);
        Optional<String> target = graph.profileOf(user);
        Optional<String> previous =
                graph.profileOf(Identity.user(previousId)).or(() -> graph.profileOf(Identity.anonymous(previousId)));
        List<Identity> links = new ArrayList<>(2);
        if (target.isEmpty() && previous.isEmpty()) {
            links.add(user);
            links.add(Identity.anonymous(previousId));
            return new Resolution(newProfile(user, graph), links, List.of(), List.of());
        }
        if (target.isEmpty()) {
            links.add(user);
            return new Resolution(previous.get(), links, List.of(), List.of());
        }
        if (previous.isEmpty()) {
            links.add(Identity.anonymous(previousId));
            return new Resolution(target.get(), links, List.of(), List.of());
        }
        if (target.get().equals(previous.get())) {
            return new Resolution(target.get(), links, List.of(), List.of());
        }
        String reason = "alias: " + previousId + " is " + userId;
        return new Resolution(
                target.get(), links, List.of(new Resolution.Merge(target.get(), previous.get(), reason)), List.of());
    }

    /**
     * A new profile is named after the id it is first seen with, unless a profile of that name
     * exists already: an anonymous "42" and a user "42" are different people. Then it takes the
     * identity's key ({@code user:42}), which names the kind, numbered if even that is taken.
     */
    private static String newProfile(Identity first, IdentityLookup graph) {
        if (graph.identitiesOf(first.value()).isEmpty()) {
            return first.value();
        }
        String name = first.key();
        for (int n = 2; !graph.identitiesOf(name).isEmpty(); n++) {
            name = first.key() + "#" + n;
        }
        return name;
    }

    private static boolean knownAsSomeoneElse(String profile, Identity user, IdentityLookup graph) {
        return graph.identitiesOf(profile).stream().anyMatch(i -> i.kind() == Identity.Kind.USER && !i.equals(user));
    }
}
