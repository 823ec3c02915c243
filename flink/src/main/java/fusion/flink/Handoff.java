package fusion.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A merged profile's relationship states on their way from its key to the survivor's, through
 * the handoff topic: the merge's position in the log ({@code seq}), both profiles, and the
 * states ({@link Ops#relationships}, in brand order). The record's key is the survivor.
 *
 * <p>The topic also holds <em>cut markers</em>, written by an ingest server just before it cuts
 * the topic after an erasure (docs/SCALE-OUT.md, "The handoff topic is cut too"): version byte 2,
 * then the bound (a long): every handoff the cut removes belongs to a merge at or before that seq,
 * which the job had committed when the cut was made. No key, no personal data.
 */
record Handoff(long seq, String survivor, String absorbed, byte[] states) {
    byte[] key() {
        return survivor.getBytes(StandardCharsets.UTF_8);
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(seq);
            out.writeUTF(survivor);
            out.writeUTF(absorbed);
            out.writeInt(states.length);
            out.write(states);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The bound of a cut marker, or -1 when {@code value} is a handoff. */
    static long cutBound(byte[] value) {
        if (value.length != 1 + Long.BYTES || value[0] != 2) return -1;
        long bound = 0;
        for (int i = 1; i < value.length; i++) bound = (bound << 8) | (value[i] & 0xff);
        return bound;
    }

    static Handoff of(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readByte();
            if (version != 1) throw new IllegalStateException("unknown handoff record version " + version);
            long seq = in.readLong();
            String survivor = in.readUTF();
            String absorbed = in.readUTF();
            byte[] states = new byte[in.readInt()];
            in.readFully(states);
            return new Handoff(seq, survivor, absorbed, states);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a handoff record", e);
        }
    }
}
