package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.segment.SegmentMapping;
import fusion.store.Pipeline;
import fusion.store.StoreInUse;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
    @TempDir
    Path dir;

    private static Pipeline pipeline() {
        return new Pipeline(new Engine(ModelConfig.defaults()), SegmentMapping.standard("own"));
    }

    @Test
    @DisplayName("issue 12 item 8: a second writable store on an open data directory is refused naming it and the "
            + "pid, and the directory opens again once the first closes")
    @SuppressWarnings("try") // the store is held open only to hold its directory
    void oneWriterPerDataDirectory() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (SqlStore first = SqlStore.sqlite(dir, pipeline())) {
            assertThat(dir.resolve(".lock")).exists();
            assertThatThrownBy(() -> SqlStore.sqlite(dir, pipeline()))
                    .isInstanceOf(StoreInUse.class)
                    .hasMessageContaining(dir.toRealPath().toString())
                    .hasMessageContaining("pid " + pid);
            // reading beside the writer needs no lock
            try (SqlStore reader = SqlStore.sqliteReadOnly(dir, pipeline())) {
                assertThat(reader.stats().events()).isZero();
            }
        }
        SqlStore.sqlite(dir, pipeline()).close();
    }
}
