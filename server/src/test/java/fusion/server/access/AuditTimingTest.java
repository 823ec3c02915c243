package fusion.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuditTimingTest {
    @Test
    @DisplayName("percentiles are nearest-rank: of 1..100 the p50 is 50 and the p99 is 99; of 1..10 the p99 is 10")
    void nearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) hundred[i] = 100 - i; // unsorted on purpose: rank sorts nothing itself
        java.util.Arrays.sort(hundred);
        assertThat(AuditTiming.rank(hundred, 50)).isEqualTo(50);
        assertThat(AuditTiming.rank(hundred, 99)).isEqualTo(99);
        long[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(AuditTiming.rank(ten, 50)).isEqualTo(5);
        assertThat(AuditTiming.rank(ten, 99)).isEqualTo(10);
    }

    @Test
    @DisplayName(
            "a summary splits each entry's time to durable into its queue wait plus its batch's write, then starts afresh")
    void summarySplitsAndForgets() {
        AuditTiming t = new AuditTiming();
        t.handled(3_000_000);
        // a batch of two entries written in 4 ms, after waits of 1 ms and 6 ms: to durable 5 and 10 ms
        t.batch(new long[] {1_000_000, 6_000_000}, 2, 4_000_000);
        assertThat(t.summary())
                .contains("1 requests, before the audit call p50 3.00 ms")
                .contains("2 entries in 1 batches")
                .contains("queue p50 1.00 ms, p99 6.00 ms, max 6.00 ms")
                .contains("write+commit p50 4.00 ms, p99 4.00 ms")
                .contains("to durable p50 5.00 ms, p99 10.00 ms, max 10.00 ms");
        assertThat(t.summary()).isNull();
    }
}
