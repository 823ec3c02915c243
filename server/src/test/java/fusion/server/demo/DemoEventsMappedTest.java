package fusion.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.segment.ConsentEvents;
import fusion.core.segment.EventMapping;
import fusion.core.segment.StandardEvents;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DemoEventsMappedTest {
    @Test
    @DisplayName("issue 15 item 4: every event the demo sends is mapped by the standard mapping or states its purpose")
    void everyDemoEventIsMapped() {
        List<EventMapping> standard = StandardEvents.all();
        Set<String> sent = new TreeSet<>();
        Set<String> unmapped = new TreeSet<>();
        for (ObjectNode m : new Scenario(7, 400, Instant.parse("2026-12-01T00:00:00Z")).messages()) {
            if (!m.path("type").asText().equals("track")) continue;
            String event = m.path("event").asText();
            sent.add(event);
            boolean known = standard.stream()
                            .anyMatch(
                                    e -> e.match(EventMapping.normalize(event)).isPresent())
                    || ConsentEvents.isConsentEvent(event)
                    || m.path("properties").hasNonNull("purpose");
            if (!known) unmapped.add(event);
        }
        assertThat(sent).as("the demo's events").contains("Product Worn", "Product Added to Wishlist");
        assertThat(unmapped).as("events the demo sends that nothing maps").isEmpty();
    }
}
