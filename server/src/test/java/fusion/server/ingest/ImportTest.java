package fusion.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.engine.ModelConfig;
import fusion.server.FusionServer;
import fusion.server.http.SegmentParser;
import fusion.server.log.IngestLog;
import fusion.store.StateDigest;
import fusion.store.Store;
import fusion.store.StoreFailure;
import fusion.store.sql.SqlStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportTest {
    static final Clock CLOCK = Clock.fixed(ImportFiles.NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    static Store store(Path at) {
        return SqlStore.sqlite(at, FusionServer.pipeline(ModelConfig.defaults()));
    }

    /** Imports {@code file} into {@code store} with {@code options}, through {@code wrap} around the store's log. */
    static Importer.Result importInto(
            Store store,
            Path file,
            Importer.Options options,
            java.util.function.UnaryOperator<ImportTarget> wrap,
            ByteArrayOutputStream err)
            throws IOException {
        SegmentParser parser = new SegmentParser();
        Importer importer = new Importer(
                parser, wrap.apply(ImportTarget.of(IngestLog.of(store))), CLOCK, new PrintStream(err, true), options);
        try (ImportFile source = Importer.open(file, parser, Optional.empty())) {
            return importer.run(file, source, file.resolveSibling(file.getFileName() + ".checkpoint"));
        }
    }

    static void assertReportMatches(Importer.Result result, ImportFiles.Expected expected) {
        ImportReport report = result.report();
        assertThat(result.complete()).isTrue();
        assertThat(report.lines()).isEqualTo(expected.lines);
        assertThat(report.accepted()).isEqualTo(expected.accepted);
        assertThat(report.duplicates()).isEqualTo(expected.duplicates);
        assertThat(report.refused()).isEqualTo(expected.refused);
    }

    @Test
    @DisplayName("issue 16 import: a 50,000-line file with bad lines imports every good line, and the report counts "
            + "lines, accepted, duplicates and refusals by field exactly as the generator planted them")
    void aFileWithBadLinesImportsEveryGoodLine() throws IOException {
        Path file = dir.resolve("calls.ndjson");
        ImportFiles.Expected expected = ImportFiles.write(file, 50_000, 16);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        Importer.Result result;
        try (Store store = store(dir.resolve("store"))) {
            result = importInto(store, file, new Importer.Options(1000, false, 0, false, 1_000_000), t -> t, err);
            assertThat(store.stats().events()).isEqualTo(expected.accepted);
        }
        System.out.printf("imported 50,000 lines in %,d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertReportMatches(result, expected);
        // each bad line is reported with its number and its field
        String shown = err.toString(StandardCharsets.UTF_8);
        expected.badLines.forEach((line, field) ->
                assertThat(shown).contains("line " + line + ": " + (field.startsWith("$") ? "$" : field)));
        assertThat(Files.exists(dir.resolve("calls.ndjson.checkpoint"))).isFalse();
    }

    @Test
    @DisplayName("issue 16 import: stopped mid-file by a line limit and then by an injected store failure, two reruns "
            + "continue from the checkpoint and the store's digest equals a one-pass import's")
    void aResumedImportEqualsAOnePassImport() throws IOException {
        Path file = dir.resolve("calls.ndjson");
        ImportFiles.Expected expected = ImportFiles.write(file, 12_000, 7);
        Path onePass = dir.resolve("one-pass");
        StateDigest reference;
        try (Store store = store(onePass)) {
            assertReportMatches(
                    importInto(store, file, new Importer.Options(500, false, 0, false, 0), t -> t, sink()), expected);
            reference = store.digest();
        }
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".checkpoint"));
        try (Store store = store(dir.resolve("resumed"))) {
            Importer.Result first =
                    importInto(store, file, new Importer.Options(500, false, 4_321, false, 0), t -> t, sink());
            assertThat(first.complete()).isFalse();
            assertThat(first.report().lines()).isBetween(1L, 4_321L);
            // the store fails on the third batch of the rerun, after two were committed
            AtomicInteger batches = new AtomicInteger();
            assertThatThrownBy(() -> importInto(
                            store,
                            file,
                            new Importer.Options(500, false, 0, false, 0),
                            t -> calls -> {
                                if (batches.incrementAndGet() == 3) {
                                    throw new StoreFailure("injected", new IOException("disk full"));
                                }
                                return t.append(calls);
                            },
                            sink()))
                    .isInstanceOf(StoreFailure.class);
            Importer.Result last =
                    importInto(store, file, new Importer.Options(500, false, 0, false, 0), t -> t, sink());
            assertReportMatches(last, expected);
            assertThat(store.digest().differences(reference)).isEmpty();
        }
    }

    @Test
    @DisplayName("issue 16 import: a batch committed but not checkpointed (a crash between the two) is sent again "
            + "and counted as duplicates; the store is unchanged by it")
    void aBatchSentTwiceAddsNothing() throws IOException {
        Path file = dir.resolve("calls.ndjson");
        ImportFiles.write(file, 3_000, 3);
        try (Store store = store(dir.resolve("s"))) {
            importInto(store, file, new Importer.Options(500, false, 0, false, 0), t -> t, sink());
            StateDigest once = store.digest();
            // the same lines again, as after a lost checkpoint: every one a duplicate
            Importer.Result again =
                    importInto(store, file, new Importer.Options(500, false, 0, false, 0), t -> t, sink());
            assertThat(again.report().accepted()).isZero();
            assertThat(store.digest().differences(once)).isEmpty();
        }
    }

    @Test
    @DisplayName("issue 16 import: lines without a messageId get one from their text, so importing the file again "
            + "adds nothing, while two different lines stay two events")
    void linesWithoutAnIdAreStoredOnce() throws IOException {
        Path file = dir.resolve("no-ids.ndjson");
        Files.writeString(
                file,
                "{\"type\":\"track\",\"userId\":\"ana\",\"event\":\"Product Viewed\","
                        + "\"timestamp\":\"2026-05-01T10:00:00Z\"}\n"
                        + "{\"type\":\"track\",\"userId\":\"ana\",\"event\":\"Product Viewed\","
                        + "\"timestamp\":\"2026-05-01T10:05:00Z\"}\n");
        try (Store store = store(dir.resolve("s"))) {
            Importer.Result first =
                    importInto(store, file, new Importer.Options(10, false, 0, false, 0), t -> t, sink());
            Importer.Result second =
                    importInto(store, file, new Importer.Options(10, false, 0, false, 0), t -> t, sink());
            assertThat(first.report().accepted()).isEqualTo(2);
            assertThat(second.report().accepted()).isZero();
            assertThat(second.report().duplicates()).isEqualTo(2);
            assertThat(store.stats().events()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("issue 16 import: --strict stops at the first refused line, keeps the lines before it, and the "
            + "checkpoint stays just before it")
    void strictStopsAtTheFirstBadLine() throws IOException {
        Path file = dir.resolve("calls.ndjson");
        ImportFiles.Expected expected = ImportFiles.write(file, 3_000, 5);
        long firstBad = expected.badLines.firstKey();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Store store = store(dir.resolve("s"))) {
            Importer.Result r = importInto(store, file, new Importer.Options(100, true, 0, false, 10), t -> t, err);
            assertThat(r.complete()).isFalse();
            assertThat(r.stop()).contains("line " + firstBad);
            assertThat(r.report().refusedLines()).isZero();
            var cp = Checkpoint.load(file.resolveSibling(file.getFileName() + ".checkpoint"));
            assertThat(cp).isPresent();
            assertThat(cp.get().line()).isEqualTo(firstBad - 1);
            // every line before it was imported (or was a duplicate); blank lines are not counted
            assertThat(r.report().accepted() + r.report().duplicates())
                    .isEqualTo(r.report().lines());
            assertThat(r.report().lines()).isEqualTo(firstBad - 1 - blankBefore(firstBad));
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line " + firstBad + ": ");
    }

    private static long blankBefore(long line) {
        return (line - 1) / 500;
    }

    @Test
    @DisplayName("issue 16 import: a CSV file with a column mapping imports typed properties, and a cell that is "
            + "not a number is refused naming its line, field and column")
    void aCsvFileImportsThroughItsColumnMapping() throws IOException {
        Path file = dir.resolve("orders.csv");
        Files.writeString(
                file,
                "customer,action,at,amount\n"
                        + "c1,Order Completed,2026-05-01T10:00:00Z,12.50\n"
                        + "c2,Order Completed,2026-05-01T11:00:00Z,abc\n"
                        + "c3,\"Product Viewed\",2026-05-02T09:00:00Z,\n"
                        + ",Order Completed,2026-05-02T09:00:00Z,3\n");
        CsvColumns columns =
                CsvColumns.parse("userId=customer,event=action,timestamp=at,properties.revenue=amount:number");
        SegmentParser parser = new SegmentParser();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Store store = store(dir.resolve("s"))) {
            Importer importer = new Importer(
                    parser,
                    ImportTarget.of(IngestLog.of(store)),
                    CLOCK,
                    new PrintStream(err, true),
                    Importer.Options.defaults());
            Importer.Result r;
            try (ImportFile source = Importer.open(file, parser, Optional.of(columns))) {
                r = importer.run(file, source, dir.resolve("orders.checkpoint"));
            }
            assertThat(r.report().lines()).isEqualTo(4);
            assertThat(r.report().accepted()).isEqualTo(2);
            assertThat(r.report().refused())
                    .containsEntry("properties.revenue", 1L)
                    .containsEntry("userId", 1L);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("line 3: properties.revenue: expected a number but was 'abc' (column amount)")
                    .contains("line 5: userId");
            var ledger = store.profile("c1");
            assertThat(ledger).isPresent();
        }
    }

    private static ByteArrayOutputStream sink() {
        return new ByteArrayOutputStream();
    }
}
