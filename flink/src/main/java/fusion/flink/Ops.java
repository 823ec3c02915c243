package fusion.flink;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.core.consent.ConsentPurpose;
import fusion.core.consent.ConsentRecord;
import fusion.core.engine.Contribution;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.engine.Target;
import fusion.core.identity.Identity;
import fusion.store.Tx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The writes one logged call made to the job's state, as bytes: the sink replays them, in the
 * same order, into the serving tables' {@link Tx}. Doubles travel as their raw bits, so the
 * tables receive exactly the numbers the engine computed.
 */
final class Ops {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private static final byte APPEND = 1,
            CREATE_PROFILE = 2,
            LINK = 3,
            ABSORB = 4,
            MERGE = 5,
            REMOVE = 6,
            PUT = 7,
            LEDGER = 8,
            TOUCH = 9,
            TRAITS = 10,
            BRAND = 11,
            UNKNOWN = 12,
            CONSENT = 13,
            ERASE = 14;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    private final DataOutputStream out = new DataOutputStream(bytes);

    byte[] toBytes() {
        return bytes.toByteArray();
    }

    void append(Tx.LoggedEvent e) {
        write(() -> {
            out.writeByte(APPEND);
            str(e.messageId());
            str(e.type());
            str(e.name());
            str(e.profile());
            out.writeLong(e.eventTime().toEpochMilli());
            out.writeLong(e.receivedAt().toEpochMilli());
            str(e.brand());
            str(e.channel());
            str(e.purpose());
            out.writeBoolean(e.scored());
            str(e.body());
        });
    }

    /** A person's erasure: the sink deletes their rows (the change of an erasure command holds only this). */
    void erase(String profile, java.util.Collection<String> names, String actor, Instant at) {
        write(() -> {
            out.writeByte(ERASE);
            str(profile);
            out.writeInt(names.size());
            for (String n : names) str(n);
            str(actor);
            out.writeLong(at.toEpochMilli());
        });
    }

    /** Whether {@code ops} is an erasure's. */
    static boolean isErasure(byte[] ops) {
        return ops.length > 0 && ops[0] == ERASE;
    }

    /** Where a sink carries out an erasure (the serving tables' own deletion, not a {@link Tx} write). */
    interface Erasures {
        void erase(String profile, List<String> names, String actor, Instant at);
    }

    void createProfile(String profile, Instant at) {
        write(() -> {
            out.writeByte(CREATE_PROFILE);
            str(profile);
            out.writeLong(at.toEpochMilli());
        });
    }

    void link(Identity identity, String profile, long seq) {
        write(() -> {
            out.writeByte(LINK);
            str(identity.key());
            str(profile);
            out.writeLong(seq);
        });
    }

    void absorb(String survivor, String absorbed) {
        write(() -> {
            out.writeByte(ABSORB);
            str(survivor);
            str(absorbed);
        });
    }

    void merge(long seq, String survivor, String absorbed, boolean merged, String reason, Instant at) {
        write(() -> {
            out.writeByte(MERGE);
            out.writeLong(seq);
            str(survivor);
            str(absorbed);
            out.writeBoolean(merged);
            str(reason);
            out.writeLong(at.toEpochMilli());
        });
    }

    void remove(String party, String brand) {
        write(() -> {
            out.writeByte(REMOVE);
            str(party);
            str(brand);
        });
    }

    void put(Relationship r) {
        write(() -> {
            out.writeByte(PUT);
            relationship(out, r);
        });
    }

    void ledger(LedgerEntry e, Relationship after) {
        write(() -> {
            out.writeByte(LEDGER);
            str(e.party());
            str(e.brand());
            out.writeLong(e.time().getEpochSecond());
            out.writeInt(e.time().getNano());
            str(e.eventId());
            out.writeUTF(e.kind().name());
            out.writeDouble(e.experienceBefore());
            out.writeDouble(e.experienceAfter());
            out.writeDouble(e.fusionBefore());
            out.writeDouble(e.fusionAfter());
            out.writeDouble(e.faded());
            out.writeInt(e.contributions().size());
            for (Contribution c : e.contributions()) {
                str(c.rule());
                out.writeUTF(c.target().name());
                out.writeDouble(c.points());
                str(c.detail());
            }
            str(e.note());
            out.writeBoolean(after != null);
            if (after != null) relationship(out, after);
        });
    }

    void touch(String profile, Instant t, boolean count) {
        write(() -> {
            out.writeByte(TOUCH);
            str(profile);
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
            out.writeBoolean(count);
        });
    }

    void traits(String profile, Map<String, Object> traits) {
        write(() -> {
            out.writeByte(TRAITS);
            str(profile);
            str(JSON.writeValueAsString(traits));
        });
    }

    void brand(String id, String name, boolean competitor, boolean declared, long seq) {
        write(() -> {
            out.writeByte(BRAND);
            str(id);
            str(name);
            out.writeBoolean(competitor);
            out.writeBoolean(declared);
            out.writeLong(seq);
        });
    }

    void unknown(String name, Instant at) {
        write(() -> {
            out.writeByte(UNKNOWN);
            str(name);
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
        });
    }

    void consent(String profile, ConsentRecord c, long seq, int position) {
        write(() -> {
            out.writeByte(CONSENT);
            str(profile);
            out.writeUTF(c.purpose().name());
            str(c.channel());
            out.writeBoolean(c.granted());
            out.writeLong(c.at().getEpochSecond());
            out.writeInt(c.at().getNano());
            out.writeBoolean(c.expires() != null);
            if (c.expires() != null) {
                out.writeLong(c.expires().getEpochSecond());
                out.writeInt(c.expires().getNano());
            }
            str(c.source());
            out.writeLong(seq);
            out.writeInt(position);
        });
    }

    /** Makes, on {@code tx}, the writes recorded in {@code ops}, in their order. */
    static void replay(byte[] ops, Tx tx) {
        replay(ops, tx, (profile, names, actor, at) -> {
            throw new IllegalStateException("an erasure of " + profile + " where none was expected");
        });
    }

    /** The same, carrying out erasures on {@code erasures}. */
    static void replay(byte[] ops, Tx tx, Erasures erasures) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(ops));
        try {
            while (in.available() > 0) {
                byte op = in.readByte();
                switch (op) {
                    case APPEND ->
                        tx.append(new Tx.LoggedEvent(
                                str(in),
                                str(in),
                                str(in),
                                str(in),
                                Instant.ofEpochMilli(in.readLong()),
                                Instant.ofEpochMilli(in.readLong()),
                                str(in),
                                str(in),
                                str(in),
                                in.readBoolean(),
                                str(in)));
                    case CREATE_PROFILE -> tx.createProfile(str(in), Instant.ofEpochMilli(in.readLong()));
                    case LINK -> tx.link(Identity.parseKey(str(in)), str(in), in.readLong());
                    case ABSORB -> tx.absorbProfile(str(in), str(in));
                    case MERGE ->
                        tx.recordMerge(
                                in.readLong(),
                                str(in),
                                str(in),
                                in.readBoolean(),
                                str(in),
                                Instant.ofEpochMilli(in.readLong()));
                    case REMOVE -> tx.removeRelationship(str(in), str(in));
                    case PUT -> tx.putRelationship(relationship(in));
                    case LEDGER -> {
                        String party = str(in), brand = str(in);
                        Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
                        String eventId = str(in);
                        LedgerEntry.Kind kind = LedgerEntry.Kind.valueOf(in.readUTF());
                        double eb = in.readDouble(),
                                ea = in.readDouble(),
                                fb = in.readDouble(),
                                fa = in.readDouble(),
                                faded = in.readDouble();
                        int n = in.readInt();
                        List<Contribution> cs = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            cs.add(new Contribution(str(in), Target.valueOf(in.readUTF()), in.readDouble(), str(in)));
                        }
                        String note = str(in);
                        Relationship after = in.readBoolean() ? relationship(in) : null;
                        tx.addLedger(
                                new LedgerEntry(party, brand, time, eventId, kind, eb, ea, fb, fa, faded, cs, note),
                                after);
                    }
                    case TOUCH ->
                        tx.touchProfile(str(in), Instant.ofEpochSecond(in.readLong(), in.readInt()), in.readBoolean());
                    case TRAITS -> tx.mergeTraits(str(in), JSON.readValue(str(in), MAP));
                    case BRAND -> tx.upsertBrand(str(in), str(in), in.readBoolean(), in.readBoolean(), in.readLong());
                    case UNKNOWN -> tx.countUnknownEvent(str(in), Instant.ofEpochSecond(in.readLong(), in.readInt()));
                    case ERASE -> {
                        String profile = str(in);
                        int n = in.readInt();
                        List<String> names = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) names.add(str(in));
                        erasures.erase(profile, names, str(in), Instant.ofEpochMilli(in.readLong()));
                    }
                    case CONSENT -> {
                        String profile = str(in);
                        ConsentPurpose purpose = ConsentPurpose.valueOf(in.readUTF());
                        String channel = str(in);
                        boolean granted = in.readBoolean();
                        Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
                        Instant expires = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
                        String source = str(in);
                        tx.recordConsent(
                                profile,
                                new ConsentRecord(purpose, channel, granted, at, expires, source),
                                in.readLong(),
                                in.readInt());
                    }
                    default -> throw new IllegalStateException("unknown operation " + op + " in a change record");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt change record", e);
        }
    }

    static byte[] relationships(List<Relationship> rs) {
        Ops ops = new Ops();
        ops.write(() -> {
            ops.out.writeInt(rs.size());
            for (Relationship r : rs) ops.relationship(ops.out, r);
        });
        return ops.toBytes();
    }

    static List<Relationship> relationships(byte[] bytes) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            int n = in.readInt();
            List<Relationship> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(relationship(in));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt relationship state", e);
        }
    }

    private void relationship(DataOutputStream o, Relationship r) throws IOException {
        str(o, r.party());
        str(o, r.brand());
        o.writeLong(r.asOfMillis());
        o.writeDouble(r.needsMet());
        o.writeDouble(r.needsFailed());
        o.writeDouble(r.easeGood());
        o.writeDouble(r.easeBad());
        o.writeDouble(r.delight());
        o.writeDouble(r.brandGives());
        o.writeDouble(r.consumerGives());
        o.writeDouble(r.association());
        o.writeLong(r.events());
        o.writeDouble(r.money());
        o.writeLong(r.firstSeenMillis());
    }

    private static Relationship relationship(DataInputStream in) throws IOException {
        return new Relationship(
                str(in),
                str(in),
                in.readLong(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readLong(),
                in.readDouble(),
                in.readLong());
    }

    private interface Write {
        void run() throws IOException;
    }

    private void write(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void str(String s) throws IOException {
        str(out, s);
    }

    /** Null-safe and not limited to writeUTF's 64 KB. */
    private static void str(DataOutputStream o, String s) throws IOException {
        if (s == null) {
            o.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        o.writeInt(b.length);
        o.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] b = in.readNBytes(n);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
