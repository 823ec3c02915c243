package fusion.server.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.model.InvalidInput;
import fusion.server.http.SegmentParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Newline-delimited JSON: one Segment call per line ({@code \n} or {@code \r\n}); blank lines are
 * skipped. A line is held in memory only up to the API's call limit: a longer one is read past and
 * refused ({@code $: the call is over 32768 bytes}), so a file without newlines cannot exhaust the
 * heap.
 */
final class NdjsonFile implements ImportFile {
    private static final int LIMIT = SegmentParser.MAX_CALL_BYTES;

    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int at;
    private int end;
    private final SegmentParser parser;
    private final long size;
    private byte[] buf = new byte[4096];
    private int len;
    private boolean tooLong;
    private long line;
    private long position;

    NdjsonFile(Path file, SegmentParser parser) throws IOException {
        this.size = Files.size(file);
        this.in = Files.newInputStream(file);
        this.parser = parser;
    }

    @Override
    public boolean advance() throws IOException {
        while (true) {
            len = 0;
            tooLong = false;
            int b;
            boolean any = false;
            while ((b = next()) != -1) {
                position++;
                any = true;
                if (b == '\n') break;
                if (len < LIMIT + 1) {
                    if (len == buf.length) buf = Arrays.copyOf(buf, Math.min(buf.length * 2, LIMIT + 1));
                    buf[len++] = (byte) b;
                } else {
                    tooLong = true;
                }
            }
            if (!any) return false;
            line++;
            if (len > 0 && buf[len - 1] == '\r') len--;
            if (line == 1
                    && len >= 3
                    && (buf[0] & 0xFF) == 0xEF
                    && (buf[1] & 0xFF) == 0xBB
                    && (buf[2] & 0xFF) == 0xBF) {
                buf = Arrays.copyOfRange(buf, 3, Math.max(buf.length, 3));
                len -= 3;
            }
            if (!blank()) return true;
        }
    }

    /** The next byte, read from the file a chunk at a time (no lock per byte). */
    private int next() throws IOException {
        if (at == end) {
            end = in.read(chunk);
            at = 0;
            if (end <= 0) {
                end = 0;
                return -1;
            }
        }
        return chunk[at++] & 0xFF;
    }

    private boolean blank() {
        for (int i = 0; i < len; i++) {
            byte c = buf[i];
            if (c != ' ' && c != '\t') return false;
        }
        return !tooLong;
    }

    @Override
    public long line() {
        return line;
    }

    @Override
    public ObjectNode read() {
        if (tooLong || len > LIMIT) {
            throw new InvalidInput("$", "the call is over " + LIMIT + " bytes; the limit is " + LIMIT);
        }
        return parser.object(Arrays.copyOf(buf, len));
    }

    @Override
    public String text() {
        return new String(buf, 0, Math.min(len, LIMIT), StandardCharsets.UTF_8);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
