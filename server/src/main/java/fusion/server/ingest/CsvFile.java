package fusion.server.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file with a header row (RFC 4180, read by Apache Commons CSV), each row made a call by
 * {@link CsvColumns}. A record's line is the line it starts on (a quoted cell may span lines).
 */
final class CsvFile implements ImportFile {
    private final CSVParser csv;
    private final Iterator<CSVRecord> rows;
    private final CsvColumns columns;
    private final long size;
    private CSVRecord row;
    private long line = 1;
    private long nextLine = 2;

    CsvFile(Path file, CsvColumns columns) throws IOException {
        this.size = Files.size(file);
        Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        this.csv = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .get()
                .parse(in);
        this.columns = columns;
        columns.within(csv.getHeaderNames());
        this.rows = csv.iterator();
    }

    @Override
    public boolean advance() {
        if (!rows.hasNext()) return false;
        row = rows.next();
        line = nextLine;
        nextLine = csv.getCurrentLineNumber() + 1;
        return true;
    }

    @Override
    public long line() {
        return line;
    }

    @Override
    public ObjectNode read() {
        if (!row.isConsistent()) {
            throw new fusion.core.model.InvalidInput(
                    "$",
                    "the row has " + row.size() + " cells; the header has "
                            + csv.getHeaderNames().size());
        }
        return columns.node(row::get);
    }

    @Override
    public String text() {
        return String.join("\u001f", row.values());
    }

    @Override
    public long position() {
        return row == null ? 0 : row.getCharacterPosition();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
