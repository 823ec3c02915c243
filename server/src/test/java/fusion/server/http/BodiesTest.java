package fusion.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.InvalidInput;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A request body read by its announced length, against what the body actually holds. */
class BodiesTest {
    private static final byte[] BODY = "{\"batch\":[{\"type\":\"track\"}]}".getBytes(StandardCharsets.UTF_8);

    /** Counts the bytes handed out, so a test sees whether a refused body was read at all. */
    private static final class Counted extends ByteArrayInputStream {
        final AtomicInteger handed = new AtomicInteger();

        Counted(byte[] b) {
            super(b);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            if (n > 0) handed.addAndGet(n);
            return n;
        }

        @Override
        public synchronized int read() {
            int n = super.read();
            if (n >= 0) handed.incrementAndGet();
            return n;
        }
    }

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
    @DisplayName("a body that announced more bytes than the limit is refused naming the body, before any byte is read")
    void anAnnouncedLengthOverTheLimitIsRefusedUnread() {
        Counted in = new Counted(BODY);
        assertThatThrownBy(() -> Bodies.read(in, null, BODY.length, BODY.length - 1))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("$")
                .hasMessageContaining("larger than the limit of " + (BODY.length - 1) + " bytes");
        assertThat(in.handed).hasValue(0);
        // exactly at the limit is fine
        assertThat(Bodies.read(new ByteArrayInputStream(BODY), null, BODY.length, BODY.length))
                .isEqualTo(BODY);
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
