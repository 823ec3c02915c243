package fusion.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The sink's writer joins each seq's two halves and batches only a gap-free run of the log's order. */
class SinkJoinTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Change identities(long seq) {
        return new Change(seq, 0, seq * 10, b("id" + seq), null, Change.IDENTITIES);
    }

    private static List<Long> seqs(ServingTablesSink.Collect writer) {
        List<Long> out = new ArrayList<>();
        for (ServingTablesSink.Batch batch : writer.prepareCommit()) {
            for (Change c : batch.changes()) out.add(c.seq);
        }
        return out;
    }

    @Test
    @DisplayName("issue 14 keyed engine: a change waits for its engine half, and the changes after it wait for it")
    void aChangeWaitsForItsOtherHalfAndTheRestForIt() throws Exception {
        var writer = new ServingTablesSink.Collect(1, List.of());
        writer.write(new Change(1, 0, 10, b("whole1")), null);
        writer.write(identities(2), null);
        writer.write(new Change(3, 1, 30, b("whole3")), null);
        writer.write(Change.engine(4, b("engine4")), null); // the engine's half before the ordered stage's

        assertThat(seqs(writer)).containsExactly(1L);

        // a checkpoint here, and a restore: what waits is in the writer's state
        var restored = (ServingTablesSink.Collect)
                new ServingTablesSink("postgresql://x@h:1/d", "t").restoreWriter(null, writer.snapshotState(1));
        restored.write(Change.engine(2, b("engine2")), null);
        assertThat(seqs(restored)).containsExactly(2L, 3L);
        restored.write(identities(4), null);

        List<Change> batch = restored.prepareCommit().iterator().next().changes();
        assertThat(batch).hasSize(1);
        Change joined = batch.get(0);
        assertThat(joined.seq).isEqualTo(4);
        assertThat(joined.part).isEqualTo(Change.WHOLE);
        assertThat(new String(joined.ops, StandardCharsets.UTF_8)).isEqualTo("id4");
        assertThat(new String(joined.engineOps, StandardCharsets.UTF_8)).isEqualTo("engine4");
        assertThat(joined.offset)
                .as("the Kafka position comes from the ordered stage's half")
                .isEqualTo(40);
    }

    @Test
    @DisplayName("issue 14 keyed engine: the end of the input with a change still missing its half fails, naming it")
    void theEndWithAHalfMissingFails() {
        var writer = new ServingTablesSink.Collect(1, List.of());
        writer.write(identities(1), null);
        assertThatThrownBy(() -> writer.flush(true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("change 1 is due");
    }
}
