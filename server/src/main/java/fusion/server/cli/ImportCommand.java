package fusion.server.cli;

import fusion.server.http.SegmentParser;
import fusion.server.ingest.CsvColumns;
import fusion.server.ingest.HttpTarget;
import fusion.server.ingest.ImportFile;
import fusion.server.ingest.ImportTarget;
import fusion.server.ingest.Importer;
import fusion.server.log.IngestLog;
import fusion.server.plan.PlanGate;
import fusion.server.plan.PlanViolations;
import fusion.store.Store;
import fusion.store.StoreInUse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import a file of Segment calls (NDJSON: one call per line, each with its type) or a CSV file "
                    + "(--columns maps its columns to a call's fields), through the same checks as the HTTP API, "
                    + "into the store of the data directory, or into a running server with --url.",
            "A refused line is printed with its line number and field, and the rest goes on (unless --strict). "
                    + "A checkpoint (FILE.checkpoint) is written after every batch: run the same command again "
                    + "to continue after an interruption. A line without a messageId gets one from its text, so "
                    + "importing a line twice adds it once (on SQLite while its first copy is among the log's "
                    + "newest --store-dedup-window events).",
            "Exit status 0 when every line was imported (or was a duplicate), 1 when lines were refused or "
                    + "--strict stopped, 2 when it cannot import."
        })
final class ImportCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Parameters(index = "0", paramLabel = "FILE", description = "the file to import (.ndjson/.jsonl, or .csv)")
    Path file;

    @Option(
            names = "--columns",
            paramLabel = "SPEC",
            description = "CSV column mapping, field=column[:number|integer|boolean], separated by commas, e.g. "
                    + "userId=customer,event=action,timestamp=at,properties.revenue=amount:number "
                    + "(without a type column every row is a track call)")
    String columns;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "ndjson or csv (default: csv for a .csv file or when --columns is given, else ndjson)")
    String format;

    @Option(names = "--strict", description = "stop at the first refused line (the checkpoint stays before it)")
    boolean strict;

    @Option(
            names = "--lines",
            paramLabel = "N",
            description = "import at most N lines in this run, then stop (run again to continue)")
    long lines;

    @Option(
            names = "--batch",
            paramLabel = "N",
            description =
                    "calls per batch, 1 to 2500 (default ${DEFAULT-VALUE}): each batch is committed, then checkpointed",
            defaultValue = "1000")
    int batch;

    @Option(
            names = "--checkpoint",
            paramLabel = "FILE",
            description = "where the checkpoint is kept (default: FILE.checkpoint beside the input)")
    Path checkpoint;

    @Option(names = "--restart", description = "discard the checkpoint and start from the first line")
    boolean restart;

    @Option(
            names = "--show",
            paramLabel = "N",
            description = "refused lines printed one by one (default ${DEFAULT-VALUE}); all are counted",
            defaultValue = "100")
    int show;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "send to the Fusion server at URL (its /v1/import) instead of opening the store; a "
                    + "server holding the data directory is found from its server.json when --url is 'running'")
    String url;

    @Option(
            names = "--write-key",
            paramLabel = "KEY",
            defaultValue = "${env:FUSION_WRITE_KEY}",
            description = "write key for --url (or set FUSION_WRITE_KEY; default: DATA/secrets.properties)")
    String writeKey;

    @Option(
            names = "--source",
            paramLabel = "NAME",
            defaultValue = "import",
            description =
                    "the source the tracking plan's mode is taken from, without --url (default ${DEFAULT-VALUE}); "
                            + "with --url, the write key's source")
    String source;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("fusion import: no file " + file.toAbsolutePath());
            return 2;
        }
        Optional<CsvColumns> csv = csv();
        Path at = checkpoint != null ? checkpoint : file.resolveSibling(file.getFileName() + ".checkpoint");
        if (restart) Files.deleteIfExists(at);
        var importOptions = new Importer.Options(batch, strict, lines, System.console() != null, show);
        SegmentParser parser = new SegmentParser();
        Path data = options.dataDir("fusion-data");
        if (url != null && !url.isBlank()) {
            String target = url.equals("running")
                    ? ServerFile.running(data)
                            .map(ServerFile::url)
                            .orElseThrow(() -> new IOException("no server is running on " + data.toAbsolutePath()))
                    : url;
            return run(parser, new HttpTarget(target, writeKey(data)), csv, at, importOptions, target);
        }
        Store store;
        try {
            store = options.openStore(options.modelConfig(), data, false);
        } catch (StoreInUse e) {
            System.err.println("fusion import: a server holds the store in " + e.directory()
                    + "; import into it with --url running (or its URL), or stop it first");
            return 2;
        }
        var plan = new PlanGate(
                options.trackingPlan(), new PlanViolations(Clock.systemUTC().instant()));
        try (store;
                IngestLog log = IngestLog.of(store)) {
            int code = run(parser, ImportTarget.of(log, plan, source), csv, at, importOptions, options.describe(data));
            printViolations(plan);
            return code;
        }
    }

    private int run(
            SegmentParser parser,
            ImportTarget target,
            Optional<CsvColumns> csv,
            Path at,
            Importer.Options importOptions,
            String into)
            throws IOException {
        Importer importer = new Importer(parser, target, Clock.systemUTC(), System.err, importOptions);
        Importer.Result result;
        try (ImportFile source = Importer.open(file, parser, csv)) {
            System.err.println("importing " + file + " into " + into);
            result = importer.run(file, source, at);
        } catch (java.io.UncheckedIOException e) {
            // a server that cannot be reached or refuses the key: one line, and where to continue from
            throw new IOException(e.getCause().getMessage() + "; the checkpoint " + at
                    + " keeps the last committed line: run again to continue");
        }
        System.out.println(result.report().describe());
        if (!result.complete()) {
            System.out.println(result.stop() + " (checkpoint: " + at + ")");
            return strict && !result.stop().contains("--lines") ? 1 : 0;
        }
        return result.report().refusedLines() > 0 ? 1 : 0;
    }

    /** What this run's lines broke of the tracking plan (source {@code --source}, in its mode). */
    private void printViolations(PlanGate plan) {
        var counts = plan.violations().counts();
        if (counts.isEmpty()) return;
        System.out.printf(
                "tracking plan (source '%s', mode %s): %,d violations in this run%n",
                source, plan.plan().mode(source).label(), plan.violations().total());
        for (var c : counts.subList(0, Math.min(20, counts.size()))) {
            System.out.printf("  %,9d  %s  %s  %s%n", c.count(), c.kind(), c.event(), c.field());
        }
    }

    private Optional<CsvColumns> csv() {
        String f = format != null
                ? format.toLowerCase(Locale.ROOT)
                : columns != null
                                || file.getFileName()
                                        .toString()
                                        .toLowerCase(Locale.ROOT)
                                        .endsWith(".csv")
                        ? "csv"
                        : "ndjson";
        switch (f) {
            case "ndjson", "jsonl", "json" -> {
                if (columns != null) throw new fusion.core.model.InvalidInput("--columns", "applies to CSV files only");
                return Optional.empty();
            }
            case "csv" -> {
                if (columns == null) {
                    throw new fusion.core.model.InvalidInput(
                            "--columns",
                            "a CSV file needs a column mapping, e.g. userId=customer,event=action,timestamp=at");
                }
                return Optional.of(CsvColumns.parse(columns));
            }
            default ->
                throw new fusion.core.model.InvalidInput("--format", "expected ndjson or csv but was '" + format + "'");
        }
    }

    private String writeKey(Path data) throws IOException {
        if (writeKey != null && !writeKey.isBlank()) return writeKey.trim();
        Path secrets = data.resolve("secrets.properties");
        if (!Files.exists(secrets)) {
            throw new IOException(
                    "no write key: pass --write-key, set FUSION_WRITE_KEY, or point --data at the server's "
                            + "data directory (it holds secrets.properties)");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(secrets)) {
            p.load(in);
        }
        String key = p.getProperty("write_key");
        if (key == null || key.isBlank()) throw new IOException(secrets + " holds no write_key");
        return key;
    }
}
