package fusion.store.sql;

import fusion.core.engine.Contribution;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.engine.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ledger row's compact columns (schema version 8, issue 18). A ledger entry keeps what each
 * rule contributed and the pair's full state after it; as JSON and hex text they were about 330
 * of a row's 500 bytes. Here they are bytes:
 *
 * <ul>
 *   <li>{@code contributions}: a varint count, then per contribution the target's code (one
 *       byte), the rule and the detail as varint-length UTF-8, and the points as the 8 raw bytes
 *       of the double.
 *   <li>{@code state}: the state's instant and first-seen instant as zigzag varints relative to
 *       the entry's {@code time} (both are usually the entry's own instant: 1 byte each), the
 *       event count as a varint, a varint bit mask of the nine doubles (eight sums and the money)
 *       whose raw bits are not zero, and the raw 8 bytes of each of those. A sum that is exactly
 *       {@code +0.0} (a pair that never had a delight, a private pair's association) costs one
 *       bit; {@code -0.0} and every other value keep all 64 bits.
 * </ul>
 *
 * Every double is stored as its raw bits, so what is read back is what the engine produced, bit
 * for bit, as the text forms were. Codes are fixed here, never enum ordinals, so reordering an
 * enum cannot change what stored bytes mean.
 */
final class LedgerCodec {
    private LedgerCodec() {}

    /** The {@code kind} column: a small integer per kind. */
    static int kind(LedgerEntry.Kind kind) {
        return switch (kind) {
            case EVENT -> 0;
            case PROPAGATED -> 1;
            case MERGE -> 2;
        };
    }

    static LedgerEntry.Kind kind(int code) {
        return switch (code) {
            case 0 -> LedgerEntry.Kind.EVENT;
            case 1 -> LedgerEntry.Kind.PROPAGATED;
            case 2 -> LedgerEntry.Kind.MERGE;
            default ->
                throw new IllegalStateException(
                        "ledger.kind: expected 0 (event), 1 (propagated) or 2 (merge) but the store holds " + code);
        };
    }

    private static final Target[] TARGETS = {
        Target.NEEDS_MET,
        Target.NEEDS_FAILED,
        Target.EASE_GOOD,
        Target.EASE_BAD,
        Target.DELIGHT,
        Target.BRAND_GIVES,
        Target.CONSUMER_GIVES
    };

    private static int code(Target t) {
        for (int i = 0; i < TARGETS.length; i++) if (TARGETS[i] == t) return i;
        throw new IllegalArgumentException("no code for target " + t);
    }

    static byte[] contributions(List<Contribution> cs) {
        Out out = new Out(8 + 48 * cs.size());
        out.varint(cs.size());
        for (Contribution c : cs) {
            out.bytes[out.n++] = (byte) code(c.target());
            out.string(c.rule());
            out.fixed64(Double.doubleToRawLongBits(c.points()));
            out.string(c.detail());
        }
        return out.done();
    }

    static List<Contribution> contributions(byte[] b) {
        In in = new In(b, "ledger.contributions");
        int count = in.count();
        List<Contribution> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int code = in.u8();
            if (code >= TARGETS.length) throw in.corrupt("target code " + code);
            String rule = in.string();
            double points = Double.longBitsToDouble(in.fixed64());
            out.add(new Contribution(rule, TARGETS[code], points, in.string()));
        }
        in.end();
        return out;
    }

    /**
     * A ledger row as {@link LedgerRing} keeps it: the seq, the entry's columns as the ledger
     * table holds them (the time in whole milliseconds, the contributions in their column's
     * bytes) and nothing of the state. A double reads back as SQLite gives it: a REAL with no
     * fraction is stored as an integer, so a -0.0 comes back as 0.0.
     */
    static byte[] row(long seq, LedgerEntry e, long time, byte[] contributions) {
        Out out = new Out(96 + contributions.length);
        out.fixed64(seq);
        out.string(e.party());
        out.string(e.brand());
        out.fixed64(time);
        out.string(e.eventId());
        out.varint(kind(e.kind()));
        out.fixed64(Double.doubleToRawLongBits(real(e.experienceBefore())));
        out.fixed64(Double.doubleToRawLongBits(real(e.experienceAfter())));
        out.fixed64(Double.doubleToRawLongBits(real(e.fusionBefore())));
        out.fixed64(Double.doubleToRawLongBits(real(e.fusionAfter())));
        out.fixed64(Double.doubleToRawLongBits(real(e.faded())));
        out.string(e.note());
        out.varint(contributions.length);
        out.room(contributions.length);
        System.arraycopy(contributions, 0, out.bytes, out.n, contributions.length);
        out.n += contributions.length;
        return out.done();
    }

    private static double real(double d) {
        return d == 0.0 ? 0.0 : d;
    }

    /** The seq a {@link #row} begins with (at least 8 bytes). */
    static long rowSeq(byte[] b) {
        return new In(b, "ledger ring").fixed64();
    }

    /** The entry of a {@link #row}, as {@code Queries} builds it from the ledger table's columns. */
    static LedgerEntry row(byte[] b) {
        In in = new In(b, "ledger ring");
        in.fixed64();
        String party = in.string();
        String brand = in.string();
        long time = in.fixed64();
        String eventId = in.string();
        LedgerEntry.Kind kind = kind((int) in.varint());
        double[] d = new double[5];
        for (int i = 0; i < d.length; i++) d[i] = Double.longBitsToDouble(in.fixed64());
        String note = in.string();
        int n = in.count();
        byte[] contributions = Arrays.copyOfRange(b, in.i, in.i + n);
        in.i += n;
        in.end();
        return new LedgerEntry(
                party,
                brand,
                java.time.Instant.ofEpochMilli(time),
                eventId,
                kind,
                d[0],
                d[1],
                d[2],
                d[3],
                d[4],
                contributions(contributions),
                note);
    }

    /** The state after an entry at {@code time} (epoch ms). */
    static byte[] state(Relationship r, long time) {
        double[] d = sums(r);
        Out out = new Out(16 + 8 * d.length);
        out.varint(zigzag(r.asOfMillis() - time));
        out.varint(zigzag(r.firstSeenMillis() - time));
        out.varint(r.events());
        long mask = 0;
        for (int i = 0; i < d.length; i++) if (Double.doubleToRawLongBits(d[i]) != 0) mask |= 1L << i;
        out.varint(mask);
        for (double v : d) {
            long bits = Double.doubleToRawLongBits(v);
            if (bits != 0) out.fixed64(bits);
        }
        return out.done();
    }

    static Relationship state(String party, String brand, long time, byte[] b) {
        In in = new In(b, "ledger.state");
        long asOf = time + unzigzag(in.varint());
        long first = time + unzigzag(in.varint());
        long events = in.varint();
        long mask = in.varint();
        if (mask >>> 9 != 0) throw in.corrupt("sum mask " + Long.toBinaryString(mask));
        double[] d = new double[9];
        for (int i = 0; i < d.length; i++) {
            if ((mask & (1L << i)) != 0) d[i] = Double.longBitsToDouble(in.fixed64());
        }
        in.end();
        return new Relationship(
                party, brand, asOf, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], events, d[8], first);
    }

    private static double[] sums(Relationship r) {
        return new double[] {
            r.needsMet(),
            r.needsFailed(),
            r.easeGood(),
            r.easeBad(),
            r.delight(),
            r.brandGives(),
            r.consumerGives(),
            r.association(),
            r.money()
        };
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** A growing byte array: cheaper than a stream for rows of a few dozen bytes. */
    private static final class Out {
        byte[] bytes;
        int n;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        private void room(int more) {
            if (n + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, n + more));
        }

        void varint(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                bytes[n++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[n++] = (byte) v;
        }

        void fixed64(long v) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) bytes[n++] = (byte) (v >>> shift);
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, n, utf8.length);
            n += utf8.length;
        }

        byte[] done() {
            return Arrays.copyOf(bytes, n);
        }
    }

    private static final class In {
        private final byte[] b;
        private final String column;
        private int i;

        In(byte[] b, String column) {
            if (b == null) throw new IllegalStateException(column + ": expected bytes but the store holds null");
            this.b = b;
            this.column = column;
        }

        IllegalStateException corrupt(String what) {
            return new IllegalStateException(column + ": corrupt at byte " + i + " of " + b.length + " (" + what + ")");
        }

        int u8() {
            if (i >= b.length) throw corrupt("truncated");
            return b[i++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = u8();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) return v;
            }
            throw corrupt("varint longer than 64 bits");
        }

        int count() {
            long v = varint();
            if (v > b.length - i) throw corrupt("length " + v);
            return (int) v;
        }

        long fixed64() {
            if (b.length - i < 8) throw corrupt("truncated");
            long v = 0;
            for (int k = 0; k < 8; k++) v = (v << 8) | (b[i++] & 0xFF);
            return v;
        }

        String string() {
            int len = count();
            String s = new String(b, i, len, StandardCharsets.UTF_8);
            i += len;
            return s;
        }

        void end() {
            if (i != b.length) throw corrupt((b.length - i) + " bytes left over");
        }
    }
}
