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
