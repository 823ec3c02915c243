package fusion.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.store.Store;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 1,000,000-line case: minutes, so only with {@code -Pscale} (the default build runs the 50,000-line one). */
@Tag("scale")
class ImportScaleTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("issue 16 import: a 1,000,000-line file with bad lines imports every good line and reports every "
            + "refusal by field")
    void aMillionLines() throws Exception {
        Path file = dir.resolve("calls.ndjson");
        ImportFiles.Expected expected = ImportFiles.write(file, 1_000_000, 1_000_000);
        long start = System.nanoTime();
        Importer.Result result;
        try (Store store = ImportTest.store(dir.resolve("store"))) {
            result = ImportTest.importInto(
                    store, file, new Importer.Options(1000, false, 0, false, 0), t -> t, new ByteArrayOutputStream());
            assertThat(store.stats().events()).isEqualTo(expected.accepted);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        ImportTest.assertReportMatches(result, expected);
        System.out.printf(
                "imported 1,000,000 lines (%,d calls accepted, %,d refused) in %,d ms: %,.0f lines/s%n",
                expected.accepted, result.report().refusedLines(), ms, 1_000_000 / (ms / 1000.0));
    }
}
