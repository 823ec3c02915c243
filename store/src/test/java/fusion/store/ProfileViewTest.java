package fusion.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProfileViewTest {
    private static ProfileView alice(List<String> identities) {
        return new ProfileView("anon-alice-laptop", identities, Map.of(), Instant.EPOCH, Instant.EPOCH, 3, List.of());
    }

    @Test
    @DisplayName(
            "issue 15 item 3: a profile first seen under an SDK's anonymous id is named by its user id, in the JSON the 360 reads")
    void aPersonIsNamedByTheirUserId() throws Exception {
        ProfileView p = alice(List.of("anon:anon-alice-laptop", "user:demo-alice", "anon:anon-alice-phone"));
        assertThat(p.userId()).isEqualTo("demo-alice");
        String json = new ObjectMapper()
                .writeValueAsString(
                        new ProfileView(p.id(), p.identities(), p.traits(), null, null, p.events(), p.merges()));
        assertThat(json).contains("\"id\":\"anon-alice-laptop\"", "\"userId\":\"demo-alice\"");
    }

    @Test
    @DisplayName("issue 15 item 3: a profile known only by anonymous ids has no user id")
    void anAnonymousProfileHasNoUserId() {
        assertThat(alice(List.of("anon:anon-alice-laptop")).userId()).isNull();
    }
}
