package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Contribution;
import fusion.core.engine.LedgerEntry;
import fusion.core.engine.Relationship;
import fusion.core.engine.Target;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The compact ledger columns of schema version 8 (issue 18): the format by hand, and bits kept. */
class LedgerCodecTest {
    private static final long T = 1_700_000_000_000L;

    @Test
    @DisplayName("issue 18 the ledger: a state is encoded as the bytes worked out by hand from the format")
    void aStateIsTheBytesWorkedOutByHand() {
        // asOf = time (zigzag 0), first seen 1 ms before (zigzag(-1) = 1), 1 event, only needs met
        // non-zero (mask 0b1), then 1.0 as its raw bits 3ff0000000000000
        Relationship r = new Relationship("p", "b", T, 1.0, 0, 0, 0, 0, 0, 0, 0, 1, 0, T - 1);
        assertThat(HexFormat.of().formatHex(LedgerCodec.state(r, T))).isEqualTo("000101013ff0000000000000");
        // a late entry: the state is 300 ms past the entry (zigzag(300) = 600 = 0xd8 0x04), first
        // seen at the entry (0), 200 events (0xc8 0x01), money alone non-zero (mask bit 8 = 0x80 0x02),
        // and -0.0 for needs met (bit 0: its raw bits 8000000000000000 are not zero)
        Relationship late = new Relationship("p", "b", T + 300, -0.0, 0, 0, 0, 0, 0, 0, 0, 200, 2.5, T);
        assertThat(HexFormat.of().formatHex(LedgerCodec.state(late, T)))
                .isEqualTo("d80400c801" + "8102" + "8000000000000000" + "4004000000000000");
    }

    @Test
    @DisplayName("issue 18 the ledger: contributions are encoded as the bytes worked out by hand from the format")
    void contributionsAreTheBytesWorkedOutByHand() {
        byte[] b = LedgerCodec.contributions(List.of(new Contribution("wow", Target.DELIGHT, 1.5, "é")));
        // 1 contribution; target delight = 4; "wow" = 3 bytes; 1.5 = 3ff8000000000000; "é" = c3 a9
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("01" + "04" + "03776f77" + "3ff8000000000000" + "02c3a9");
        assertThat(LedgerCodec.contributions(new byte[] {0})).isEmpty();
    }

    @Test
    @DisplayName("issue 18 the ledger: the kinds are stored as the fixed codes 0 event, 1 propagated, 2 merge")
    void kindsHaveFixedCodes() {
        assertThat(Stream.of(LedgerEntry.Kind.values()).map(LedgerCodec::kind)).containsExactly(0, 1, 2);
        assertThat(Stream.of(0, 1, 2).map(LedgerCodec::kind))
                .containsExactly(LedgerEntry.Kind.EVENT, LedgerEntry.Kind.PROPAGATED, LedgerEntry.Kind.MERGE);
        assertThatThrownBy(() -> LedgerCodec.kind(3))
                .hasMessage("ledger.kind: expected 0 (event), 1 (propagated) or 2 (merge) but the store holds 3");
    }

    static Stream<Long> seeds() {
        return LongStream.range(1, 41).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("issue 18 the ledger: random states and contributions come back bit for bit, odd doubles included")
    void randomValuesComeBackBitForBit(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            long time = r.nextLong() >> r.nextInt(64);
            Relationship s = new Relationship(
                    "p",
                    "b",
                    time + (r.nextBoolean() ? 0 : r.nextLong() >> r.nextInt(64)),
                    odd(r),
                    odd(r),
                    odd(r),
                    odd(r),
                    odd(r),
                    odd(r),
                    odd(r),
                    odd(r),
                    r.nextBoolean() ? r.nextInt(3) : r.nextLong() & Long.MAX_VALUE,
                    odd(r),
                    time - (r.nextBoolean() ? 0 : r.nextLong() >> r.nextInt(64)));
            Relationship back = LedgerCodec.state("p", "b", time, LedgerCodec.state(s, time));
            assertThat(bits(back)).isEqualTo(bits(s));
            List<Contribution> cs = new ArrayList<>();
            for (int k = r.nextInt(5); k > 0; k--) {
                double p = odd(r);
                cs.add(new Contribution(
                        "rule-" + r.nextInt(9),
                        Target.values()[r.nextInt(Target.values().length)],
                        Double.isFinite(p) ? p : 0.25,
                        "detail \"" + r.nextInt() + "\u00e9\n\ud83d\ude00"));
            }
            List<Contribution> again = LedgerCodec.contributions(LedgerCodec.contributions(cs));
            assertThat(again).isEqualTo(cs);
            for (int k = 0; k < cs.size(); k++) {
                assertThat(Double.doubleToRawLongBits(again.get(k).points()))
                        .isEqualTo(Double.doubleToRawLongBits(cs.get(k).points()));
            }
        }
    }

    @Test
    @DisplayName("issue 18 the ledger: bytes that do not decode are refused naming the column and the byte")
    void corruptBytesAreRefusedNamingTheColumn() {
        assertThatThrownBy(() -> LedgerCodec.state("p", "b", T, new byte[] {0, 0, 1, 1, 0x3f}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ledger.state: corrupt at byte 4 of 5 (truncated)");
        assertThatThrownBy(() -> LedgerCodec.state("p", "b", T, new byte[] {0, 0, 1, 0, 7}))
                .hasMessage("ledger.state: corrupt at byte 4 of 5 (1 bytes left over)");
        assertThatThrownBy(() -> LedgerCodec.contributions(new byte[] {1, 9, 0}))
                .hasMessage("ledger.contributions: corrupt at byte 2 of 3 (target code 9)");
        assertThatThrownBy(() -> LedgerCodec.contributions(new byte[] {1, 0, 50}))
                .hasMessage("ledger.contributions: corrupt at byte 3 of 3 (length 50)");
        assertThatThrownBy(() -> LedgerCodec.contributions((byte[]) null))
                .hasMessage("ledger.contributions: expected bytes but the store holds null");
    }

    /** Zeros of both signs, subnormals, extremes, infinities and NaN payloads as well as ordinary values. */
    private static double odd(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> Double.MIN_VALUE * r.nextInt(1000);
            case 3 -> r.nextBoolean() ? Double.MAX_VALUE : -Double.MAX_VALUE;
            case 4 -> Double.longBitsToDouble(r.nextLong()); // any bits, NaN payloads included
            default -> r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
        };
    }

    private static List<Long> bits(Relationship s) {
        return List.of(
                s.asOfMillis(),
                Double.doubleToRawLongBits(s.needsMet()),
                Double.doubleToRawLongBits(s.needsFailed()),
                Double.doubleToRawLongBits(s.easeGood()),
                Double.doubleToRawLongBits(s.easeBad()),
                Double.doubleToRawLongBits(s.delight()),
                Double.doubleToRawLongBits(s.brandGives()),
                Double.doubleToRawLongBits(s.consumerGives()),
                Double.doubleToRawLongBits(s.association()),
                s.events(),
                Double.doubleToRawLongBits(s.money()),
                s.firstSeenMillis());
    }
}
