package fusion.models.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads comma-separated files with a header line (RFC 4180, by Apache Commons CSV): fields may be
 * double-quoted, a doubled quote inside a quoted field is a literal quote, and a quoted field may
 * span lines. Blank lines are skipped.
 */
public final class Csv {

    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    private Csv() {}

    /** Reads the whole file; throws {@link UncheckedIOException} naming the path on I/O failure. */
    public static Table read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = FORMAT.parse(in)) {
            List<String[]> records = new ArrayList<>();
            for (CSVRecord r : parser) {
                records.add(r.values());
            }
            if (records.isEmpty()) {
                throw new IllegalArgumentException(file + ": empty, expected a header line");
            }
            return new Table(List.of(records.get(0)), new ArrayList<>(records.subList(1, records.size())));
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException(
                    "cannot read " + file.toAbsolutePath(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }
}
