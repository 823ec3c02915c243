package fusion.server.activation;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * An export file's rows in CSV (RFC 4180, a header line) or Parquet (one row group per 128 MB,
 * dictionary-encoded, not compressed: Parquet's codecs reach for a Hadoop configuration, which would
 * need Hadoop's whole runtime jar besides the client API). Both have the same columns: {@code profile}, {@code audience}, {@code event} (member,
 * entered, left), {@code at} (UTC; in Parquet a timestamp in milliseconds) and {@code export} (the
 * export's id, or empty for streamed events).
 */
final class ExportFiles {
    /** One line of an export file. */
    record Row(String profile, String audience, String event, Instant at, String export) {}

    static final List<String> COLUMNS = List.of("profile", "audience", "event", "at", "export");

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("profile")
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("audience")
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("event")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
            .named("at")
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("export")
            .named("fusion_audience_export");

    private ExportFiles() {}

    static void write(Destination.Kind kind, Path file, List<Row> rows) throws IOException {
        switch (kind) {
            case CSV -> csv(file, rows);
            case PARQUET -> parquet(file, rows);
            default -> throw new IllegalArgumentException(kind + " is not a file destination");
        }
    }

    static String extension(Destination.Kind kind) {
        return kind == Destination.Kind.CSV ? ".csv" : ".parquet";
    }

    private static void csv(Path file, List<Row> rows) throws IOException {
        CSVFormat format = CSVFormat.RFC4180
                .builder()
                .setHeader(COLUMNS.toArray(String[]::new))
                .get();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter out = new CSVPrinter(w, format)) {
            for (Row r : rows) out.printRecord(r.profile(), r.audience(), r.event(), r.at(), r.export());
        }
    }

    private static void parquet(Path file, List<Row> rows) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> out = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(SCHEMA)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (Row r : rows) {
                out.write(groups.newGroup()
                        .append("profile", r.profile())
                        .append("audience", r.audience())
                        .append("event", r.event())
                        .append("at", r.at().toEpochMilli())
                        .append("export", r.export()));
            }
        }
    }
}
