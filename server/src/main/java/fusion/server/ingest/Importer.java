package fusion.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.model.InvalidInput;
import fusion.server.http.MalformedInput;
import fusion.server.http.SegmentParser;
import fusion.store.IngestResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports a file of calls: each record is read with the HTTP API's parser and limits
 * ({@link SegmentParser}), good calls are sent in batches to an {@link ImportTarget} (which checks
 * them as the API does: mapping, bounds, the tracking plan), and a bad record is refused alone,
 * with its line number and field, while the rest go on (unless {@link Options#strict}).
 *
 * <p>After each batch is durable a {@link Checkpoint} records the line reached and the counts so
 * far; a rerun skips to the line after it. A record without a {@code messageId} gets one from its
 * text ({@code import-} and 32 hex digits of its SHA-256), so importing a file twice, or resuming
 * past a batch committed just before a crash, adds nothing twice.
 */
public final class Importer {
    private static final Pattern IN_BATCH = Pattern.compile("^batch\\[(\\d+)\\]\\.?(.*)$");
    private static final Pattern INDEX = Pattern.compile("\\[\\d+\\]");

    /**
     * @param batch    calls per batch sent to the target, 1 to 2,500 (the API's batch limit)
     * @param strict   stop at the first refused record (the checkpoint stays before it)
     * @param maxLines stop after this many records in this run (0: no limit); a rerun continues
     * @param tty      redraw one progress line every second (else print one every 10 s)
     * @param shown    refused records printed one by one; the rest are only counted
     */
    public record Options(int batch, boolean strict, long maxLines, boolean tty, int shown) {
        public Options {
            if (batch < 1 || batch > SegmentParser.MAX_BATCH_CALLS) {
                throw new InvalidInput(
                        "--batch", "expected 1 to " + SegmentParser.MAX_BATCH_CALLS + " but was " + batch);
            }
            if (maxLines < 0) throw new InvalidInput("--lines", "expected 0 or more but was " + maxLines);
            if (shown < 0) throw new InvalidInput("--show", "expected 0 or more but was " + shown);
        }

        public static Options defaults() {
            return new Options(1000, false, 0, false, 100);
        }
    }

    /**
     * An import's outcome.
     *
     * @param report   the counts over every run of this import
     * @param complete the whole file was read (the checkpoint is removed); false when stopped early
     * @param stop     why it stopped early, empty when complete
     */
    public record Result(ImportReport report, boolean complete, String stop) {}

    private final SegmentParser parser;
    private final ImportTarget target;
    private final Clock clock;
    private final PrintStream err;
    private final Options options;
    private final MessageDigest sha256;

    public Importer(SegmentParser parser, ImportTarget target, Clock clock, PrintStream err, Options options) {
        this.parser = parser;
        this.target = target;
        this.clock = clock;
        this.err = err;
        this.options = options;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Opens {@code file} as NDJSON, or as CSV through {@code columns} when given. */
    public static ImportFile open(Path file, SegmentParser parser, java.util.Optional<CsvColumns> columns)
            throws IOException {
        return columns.isPresent() ? new CsvFile(file, columns.get()) : new NdjsonFile(file, parser);
    }

    /**
     * Imports {@code source} (named {@code file}), continuing from the checkpoint at {@code at}
     * when there is one for the same file; the checkpoint is removed once the file is complete.
     */
    public Result run(Path file, ImportFile source, Path at) throws IOException {
        Checkpoint cp = Checkpoint.load(at).orElseGet(() -> Checkpoint.start(file));
        Checkpoint fresh = Checkpoint.start(file);
        if (!cp.file().equals(fresh.file())) {
            throw new IOException("the checkpoint " + at + " belongs to " + cp.file() + ", not to " + fresh.file()
                    + "; pass another --checkpoint, or --restart to discard it");
        }
        if (cp.line() > 0) err.printf("resuming %s after line %,d%n", file, cp.line());
        return new Run(file, source, at, cp).go();
    }

    /** One run over the file: its pending batch and the counts not yet checkpointed. */
    private final class Run {
        private final ImportFile source;
        private final Path at;
        private Checkpoint cp;
        private final List<ImportTarget.Call> pending = new ArrayList<>();
        private final List<Long> pendingLines = new ArrayList<>();
        private long lines;
        private final TreeMap<String, Long> refused = new TreeMap<>();
        private long lastLine;
        private long runLines;
        private long shownSoFar;
        private String stop = "";
        private final Progress progress;

        Run(Path file, ImportFile source, Path at, Checkpoint cp) {
            this.source = source;
            this.at = at;
            this.cp = cp;
            this.lastLine = cp.line();
            this.progress = new Progress(err, options.tty(), source);
        }

        Result go() throws IOException {
            boolean more = source.advance();
            while (more && source.line() <= cp.line()) more = source.advance();
            while (more) {
                if (options.maxLines() > 0 && runLines >= options.maxLines()) {
                    stop = "stopped after " + runLines + " lines (--lines); run the same command again to continue";
                    break;
                }
                long n = source.line();
                runLines++;
                lines++;
                if (!take(n)) {
                    lines--; // the refused line stays after the checkpoint
                    break;
                }
                lastLine = n;
                if (lines >= options.batch()) flush();
                if (!stop.isEmpty()) break;
                progress.tick(runLines);
                more = source.advance();
            }
            flush();
            progress.done(runLines);
            boolean complete = !more && stop.isEmpty();
            if (complete) Files.deleteIfExists(at);
            return new Result(cp.counts(), complete, stop);
        }

        /** Reads record {@code n} into the pending batch; false when --strict stops at it. */
        private boolean take(long n) {
            try {
                ObjectNode json = source.read();
                JsonNode id = json.get("messageId");
                if (id == null || id.isNull() || (id.isTextual() && id.asText().isBlank())) {
                    json.put("messageId", stableId(source.text()));
                }
                pending.add(new ImportTarget.Call(json, parser.call(json, clock.instant())));
                pendingLines.add(n);
                return true;
            } catch (InvalidInput e) {
                return refuse(n, e.field(), e.getMessage());
            } catch (MalformedInput e) {
                return refuse(n, "$ (malformed JSON)", "$: " + e.getMessage());
            }
        }

        /** Counts and shows a refused record; under --strict, stops before it (uncounted: it is not settled). */
        private boolean refuse(long n, String field, String message) {
            if (shownSoFar < options.shown()) {
                progress.clear();
                err.println("line " + n + ": " + message);
            } else if (shownSoFar == options.shown()) {
                progress.clear();
                err.println("(more refused lines are counted in the report, not shown: --show N)");
            }
            shownSoFar++;
            if (options.strict()) {
                stop = "line " + n + " was refused and --strict stops there; fix it and run again to continue";
                return false;
            }
            refused.merge(INDEX.matcher(field).replaceAll("[]"), 1L, Long::sum);
            return true;
        }

        /** Sends the pending batch until it is durable, refusing the calls the target names; then checkpoints. */
        private void flush() throws IOException {
            IngestResult done = IngestResult.EMPTY;
            while (!pending.isEmpty()) {
                InvalidInput e;
                try {
                    done = done.plus(target.append(List.copyOf(pending)));
                    pending.clear();
                    pendingLines.clear();
                    break;
                } catch (ImportTarget.Partial p) {
                    done = done.plus(p.result);
                    pending.subList(0, p.written).clear();
                    pendingLines.subList(0, p.written).clear();
                    e = shifted(p.cause, p.written);
                } catch (InvalidInput invalid) {
                    e = invalid;
                }
                Matcher m = IN_BATCH.matcher(e.field());
                if (!m.matches() || Integer.parseInt(m.group(1)) >= pending.size()) throw e;
                int i = Integer.parseInt(m.group(1));
                String field = m.group(2).isEmpty() ? "$" : m.group(2);
                long n = pendingLines.get(i);
                if (options.strict()) {
                    // keep what came before it, stop before it
                    List<ImportTarget.Call> before = List.copyOf(pending.subList(0, i));
                    lines -= pending.size() - i;
                    pending.clear();
                    pendingLines.clear();
                    if (!before.isEmpty()) done = done.plus(target.append(before));
                    refuse(n, field, field + ": " + e.problem());
                    lastLine = n - 1;
                    break;
                }
                pending.remove(i);
                pendingLines.remove(i);
                refuse(n, field, field + ": " + e.problem());
            }
            ImportReport batch =
                    new ImportReport(lines, done.accepted(), done.duplicates(), done.scored(), done.unknown(), refused);
            cp = new Checkpoint(cp.file(), lastLine, cp.counts().plus(batch));
            cp.save(at);
            lines = 0;
            refused.clear();
        }
    }

    /** {@code batch[i]...} of a whole batch as {@code batch[i - written]...} of what is left of it. */
    private static InvalidInput shifted(InvalidInput e, int written) {
        Matcher m = IN_BATCH.matcher(e.field());
        if (!m.matches()) return e;
        int i = Integer.parseInt(m.group(1)) - written;
        return new InvalidInput("batch[" + i + "]" + (m.group(2).isEmpty() ? "" : "." + m.group(2)), e.problem());
    }

    private String stableId(String text) {
        byte[] d = sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        return "import-" + HexFormat.of().formatHex(d, 0, 16);
    }
}
