package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WriterTimingTest {
    @Test
    @DisplayName("issue 18: the writer's CPU per statement is summed per statement, with its times and rows, "
            + "the costliest first")
    void sumsPerStatementCostliestFirst() {
        WriterTiming t = new WriterTiming();
        t.add("INSERT INTO idle", WriterTiming.now(), 3);
        long busyUntil = WriterTiming.now() + 30_000_000L; // 30 ms of this thread's CPU
        long since = WriterTiming.now();
        long spin = 0;
        while (WriterTiming.now() < busyUntil) spin++;
        t.add("INSERT INTO busy", since, 500);
        t.add("INSERT INTO idle", WriterTiming.now(), 4);
        String[] lines = t.summary().split("\n");
        assertThat(spin).isPositive();
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).endsWith("1        500  INSERT INTO busy");
        assertThat(Double.parseDouble(lines[1].trim().split(" +")[0])).isGreaterThanOrEqualTo(30.0);
        assertThat(lines[2]).endsWith("2          7  INSERT INTO idle");
    }
}
