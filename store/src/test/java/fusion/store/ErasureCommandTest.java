package fusion.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.model.InvalidInput;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ErasureCommandTest {
    @Test
    @DisplayName("issue 14 erasure: the command record is the documented JSON, read back as written, keyed by the "
            + "person's first id")
    void theRecordIsTheDocumentedJson() throws Exception {
        ErasureCommand c = new ErasureCommand(
                "erase-1", Instant.parse("2026-03-01T12:00:00Z"), "ana-phone", List.of("ana", "ana-phone"), "admin");

        String record = c.encode();

        var tree = new ObjectMapper().readTree(record);
        assertThat(tree.get("type").asText()).isEqualTo("erase");
        assertThat(tree.get("messageId").asText()).isEqualTo("erase-1");
        assertThat(tree.get("receivedAt").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(tree.get("profile").asText()).isEqualTo("ana-phone");
        assertThat(tree.get("ids").toString()).isEqualTo("[\"ana\",\"ana-phone\"]");
        assertThat(ErasureCommand.decode(record)).isEqualTo(c);
        assertThat(c.key()).isEqualTo("ana");
        assertThat(ErasureCommand.is(tree.get("type").asText())).isTrue();
        assertThat(ErasureCommand.is("track")).isFalse();
    }

    @Test
    @DisplayName("issue 14 erasure: a call's log record, or a command without a profile, is refused naming the field")
    void aRecordThatIsNotACommandIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ErasureCommand.decode("{\"type\":\"track\",\"messageId\":\"m1\"}"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("type");
        assertThatThrownBy(() -> ErasureCommand.decode(
                        "{\"type\":\"erase\",\"messageId\":\"e\",\"receivedAt\":\"2026-03-01T12:00:00Z\",\"ids\":[],"
                                + "\"actor\":\"admin\"}"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("profile");
    }
}
