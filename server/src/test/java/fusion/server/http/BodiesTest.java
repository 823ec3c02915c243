package fusion.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A request body read by its announced length, against what the body actually holds. */
class BodiesTest {
    private static final byte[] BODY = "{\"batch\":[{\"type\":\"track\"}]}".getBytes(StandardCharsets.UTF_8);

    @Test
    @DisplayName(
            "a body of the announced length is read whole, byte for byte, and so is one whose length was not announced")
    void aBodyOfTheAnnouncedLengthIsReadWhole() {
        assertThat(Bodies.read(new ByteArrayInputStream(BODY), null, BODY.length, 1_000))
                .isEqualTo(BODY);
        assertThat(Bodies.read(new ByteArrayInputStream(BODY), "identity", -1, 1_000))
                .isEqualTo(BODY);
        assertThat(Bodies.read(new ByteArrayInputStream(new byte[0]), null, 0, 1_000))
                .isEmpty();
    }

    @Test
    @DisplayName("a body shorter than its announced length is truncated, and one longer is refused, not cut")
    void aBodyThatBreaksItsAnnouncedLengthIsRefused() {
        InputStream shorter = new ByteArrayInputStream(BODY, 0, BODY.length - 3);
        assertThatThrownBy(() -> Bodies.read(shorter, null, BODY.length, 1_000))
                .isInstanceOf(MalformedInput.class)
                .hasMessage("the body is truncated");
        assertThatThrownBy(() -> Bodies.read(new ByteArrayInputStream(BODY), null, BODY.length - 1, 1_000))
                .isInstanceOf(MalformedInput.class)
                .hasMessage("the body is longer than its Content-Length of " + (BODY.length - 1) + " bytes");
    }
}
