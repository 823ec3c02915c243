package fusion.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FusionJobOptionsTest {
    private static final String[] REQUIRED = {
        "--bootstrap", "k1:9092", "--topic", "events", "--store", "postgresql://fusion@db:5432/fusion"
    };

    private static String[] with(String... more) {
        String[] all = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }

    @Test
    @DisplayName("issue 14: the job's main reads its options; heap is the hashmap state backend and --checkpoints "
            + "puts checkpoints in files under the directory")
    void readsItsOptions() {
        var run = FusionJob.parse(with(
                "--state", "heap", "--parallelism", "6", "--checkpoint-seconds", "3", "--checkpoints", "file:///cp"));
        assertThat(run.settings().stateBackend()).isEqualTo("hashmap");
        assertThat(run.settings().parallelism()).isEqualTo(6);
        assertThat(run.settings().checkpointInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(run.settings().bootstrapServers()).isEqualTo("k1:9092");
        assertThat(run.configuration().get(CheckpointingOptions.CHECKPOINT_STORAGE))
                .isEqualTo("filesystem");
        assertThat(run.configuration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///cp");
        var defaults = FusionJob.parse(REQUIRED);
        assertThat(defaults.settings().stateBackend()).isEqualTo("rocksdb");
        assertThat(defaults.settings().parallelism()).isEqualTo(2);
        assertThat(defaults.configuration().contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isFalse();
    }

    @Test
    @DisplayName("issue 14: the job's main refuses an unknown, missing or malformed option, naming it")
    void refusesBadOptionsNamingThem() {
        assertThatThrownBy(() -> FusionJob.parse(with("--paralelism", "2")))
                .hasMessageContaining("unknown option '--paralelism'")
                .hasMessageContaining("--parallelism");
        assertThatThrownBy(() -> FusionJob.parse(new String[] {"--topic", "t", "--store", "postgresql://f@h:1/d"}))
                .hasMessageContaining("--bootstrap is required");
        assertThatThrownBy(() -> FusionJob.parse(with("--parallelism", "0")))
                .hasMessageContaining("--parallelism expected a whole number of at least 1 but was '0'");
        assertThatThrownBy(() -> FusionJob.parse(with("--parallelism", "129")))
                .hasMessageContaining("parallelism must be at most 128 (the engine stage's key groups) but was 129");
        assertThatThrownBy(() -> FusionJob.parse(with("--state", "disk")))
                .hasMessageContaining("--state expected rocksdb, hashmap or heap but was 'disk'");
        assertThatThrownBy(() -> FusionJob.parse(with("--checkpoints")))
                .hasMessageContaining("--checkpoints needs a value");
        assertThatThrownBy(() -> FusionJob.parse(
                        new String[] {"--bootstrap", "k:1", "--topic", "t", "--store", "sqlite:///tmp/x"}))
                .hasMessageContaining("--store expected postgresql://");
    }
}
