package fusion.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityResolverTest {
    private final IdentityResolver resolver = new IdentityResolver();

    /** The graph as a map; {@link #apply} performs a resolution the way the store does. */
    static final class Graph implements IdentityLookup {
        final Map<Identity, String> profiles = new HashMap<>();

        @Override
        public Optional<String> profileOf(Identity identity) {
            return Optional.ofNullable(profiles.get(identity));
        }

        @Override
        public List<Identity> identitiesOf(String profile) {
            List<Identity> out = new ArrayList<>();
            profiles.forEach((i, p) -> {
                if (p.equals(profile)) out.add(i);
            });
            return out;
        }

        Resolution apply(Resolution r) {
            r.links().forEach(i -> profiles.put(i, r.profile()));
            for (Resolution.Merge m : r.merges()) {
                profiles.replaceAll((i, p) -> p.equals(m.absorbed()) ? m.survivor() : p);
            }
            return r;
        }
    }

    private final Graph graph = new Graph();

    @Test
    void aFirstAnonymousCallCreatesAProfileNamedAfterIt() {
        Resolution r = graph.apply(resolver.resolve(null, "anon-1", graph));
        assertThat(r.profile()).isEqualTo("anon-1");
        assertThat(r.links()).containsExactly(Identity.anonymous("anon-1"));
    }

    @Test
    void aFirstCallWithBothIdsCreatesOneProfileNamedAfterTheUser() {
        Resolution r = graph.apply(resolver.resolve("ana", "anon-1", graph));
        assertThat(r.profile()).isEqualTo("ana");
        assertThat(r.links()).containsExactly(Identity.user("ana"), Identity.anonymous("anon-1"));
        assertThat(r.merges()).isEmpty();
    }

    @Test
    void aCallWithoutAnyIdIsRefused() {
        assertThatThrownBy(() -> resolver.resolve(null, null, graph)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identifyLinksTheAnonymousIdAndLaterEventsForEitherIdLandOnTheSameProfile() {
        graph.apply(resolver.resolve(null, "anon-1", graph));
        Resolution identify = graph.apply(resolver.resolve("ana", "anon-1", graph));
        assertThat(identify.profile()).isEqualTo("anon-1");
        assertThat(identify.links()).containsExactly(Identity.user("ana"));
        assertThat(identify.merges()).isEmpty();
        assertThat(resolver.resolve("ana", null, graph).profile()).isEqualTo("anon-1");
        assertThat(resolver.resolve(null, "anon-1", graph).profile()).isEqualTo("anon-1");
    }

    @Test
    void twoProfilesOfOnePersonMergeIntoTheKnownOneWithAReason() {
        graph.apply(resolver.resolve(null, "device", graph));
        graph.apply(resolver.resolve("ana", null, graph));
        Resolution r = graph.apply(resolver.resolve("ana", "device", graph));
        assertThat(r.profile()).isEqualTo("ana");
        assertThat(r.merges())
                .containsExactly(new Resolution.Merge("ana", "device", "anonymousId device seen with userId ana"));
        assertThat(resolver.resolve(null, "device", graph).profile()).isEqualTo("ana");
    }

    @Test
    void aSharedDeviceNeverFusesTwoKnownCustomers() {
        graph.apply(resolver.resolve("ana", "family-tablet", graph));
        graph.apply(resolver.resolve("bea", null, graph));
        Resolution r = graph.apply(resolver.resolve("bea", "family-tablet", graph));
        assertThat(r.profile()).isEqualTo("bea");
        assertThat(r.merges()).isEmpty();
        assertThat(r.links()).isEmpty();
        assertThat(r.notes())
                .singleElement()
                .asString()
                .isEqualTo("anonymousId family-tablet belongs to another user; not merged");
        assertThat(resolver.resolve("ana", null, graph).profile()).isEqualTo("ana");
        assertThat(resolver.resolve(null, "family-tablet", graph).profile()).isEqualTo("ana");
    }

    @Test
    void aSharedDeviceSeenFirstWithAnotherUserStartsANewProfileForTheNewcomer() {
        graph.apply(resolver.resolve("ana", "family-tablet", graph));
        Resolution r = graph.apply(resolver.resolve("bea", "family-tablet", graph));
        assertThat(r.profile()).isEqualTo("bea");
        assertThat(r.merges()).isEmpty();
        assertThat(r.links()).containsExactly(Identity.user("bea"));
        assertThat(r.notes()).singleElement().asString().contains("belongs to another user");
        assertThat(resolver.resolve("bea", null, graph).profile()).isEqualTo("bea");
        assertThat(resolver.resolve("ana", null, graph).profile()).isEqualTo("ana");
    }

    @Test
    void aNewCustomerWhoseUserIdEqualsAnotherPersonsAnonymousIdGetsAProfileOfTheirOwn() {
        graph.apply(resolver.resolve(null, "42", graph));
        Resolution r = graph.apply(resolver.resolve("42", null, graph));
        assertThat(r.profile()).isEqualTo("user:42");
        assertThat(graph.identitiesOf("42")).containsExactly(Identity.anonymous("42"));
        assertThat(resolver.resolve("42", null, graph).profile()).isEqualTo(r.profile());
    }

    @Test
    void aliasMergesThePreviousIdentityIntoTheUser() {
        graph.apply(resolver.resolve(null, "old-cookie", graph));
        graph.apply(resolver.resolve("ana", null, graph));
        Resolution r = graph.apply(resolver.alias("old-cookie", "ana", graph));
        assertThat(r.profile()).isEqualTo("ana");
        assertThat(r.merges()).containsExactly(new Resolution.Merge("ana", "old-cookie", "alias: old-cookie is ana"));
        assertThat(resolver.resolve(null, "old-cookie", graph).profile()).isEqualTo("ana");
    }

    @Test
    void aliasOfUnknownIdsCreatesOneProfileWithBoth() {
        Resolution r = graph.apply(resolver.alias("cookie", "ana", graph));
        assertThat(r.profile()).isEqualTo("ana");
        assertThat(resolver.resolve(null, "cookie", graph).profile()).isEqualTo("ana");
    }

    @Test
    void aliasMergesEvenTwoKnownUsersBecauseItIsAnExplicitInstruction() {
        graph.apply(resolver.resolve("old-login", null, graph));
        graph.apply(resolver.resolve("ana", null, graph));
        Resolution r = graph.apply(resolver.alias("old-login", "ana", graph));
        assertThat(r.merges()).containsExactly(new Resolution.Merge("ana", "old-login", "alias: old-login is ana"));
        assertThat(resolver.resolve("old-login", null, graph).profile()).isEqualTo("ana");
    }
}
