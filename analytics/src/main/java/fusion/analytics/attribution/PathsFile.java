package fusion.analytics.attribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads a paths file in the layout of the ChannelAttribution example data: a header naming the
 * columns {@code path}, {@code total_conversions}, {@code total_conversion_value} and
 * {@code total_null} in any order, separated by {@code ;} (or {@code ,} when the header has no
 * {@code ;}), and paths written {@code a > b > c}. The value and null columns are optional.
 * Rows are streamed one at a time, so the file can be of any size.
 */
public final class PathsFile {

    private PathsFile() {}

    /** Every row of the file, in order. Holds them all: use {@link #stream} for large files. */
    public static List<ConversionPath> read(Path file) {
        List<ConversionPath> rows = new ArrayList<>();
        stream(file, rows::add);
        return rows;
    }

    /** Hands each row to {@code sink} as it is read. */
    public static void stream(Path file, Consumer<ConversionPath> sink) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            stream(in, file.toString(), sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read paths file " + file, e);
        }
    }

    static void stream(BufferedReader in, String source, Consumer<ConversionPath> sink) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new IllegalArgumentException(source + ": empty file, expected a header line");
        }
        String separator = header.contains(";") ? ";" : ",";
        List<String> names = Arrays.stream(header.split(separator, -1))
                .map(s -> s.strip().replace("\"", "").toLowerCase(Locale.ROOT))
                .toList();
        int pathCol = required(names, "path", source);
        int convCol = required(names, "total_conversions", source);
        int valueCol = names.indexOf("total_conversion_value");
        int nullCol = names.indexOf("total_null");
        String line;
        long lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(separator, -1);
            try {
                sink.accept(new ConversionPath(
                        parsePath(f[pathCol]),
                        parseCount(f[convCol]),
                        valueCol < 0 ? BigDecimal.ZERO : new BigDecimal(f[valueCol].strip()),
                        nullCol < 0 ? 0 : parseCount(f[nullCol])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        source + " line " + lineNo + ": " + e.getMessage() + " in '" + line + "'", e);
            }
        }
    }

    static List<String> parsePath(String text) {
        String[] parts = text.strip().replace("\"", "").split(">");
        List<String> channels = new ArrayList<>(parts.length);
        for (String p : parts) {
            String c = p.strip();
            if (c.isEmpty()) {
                throw new IllegalArgumentException("path: empty channel name");
            }
            channels.add(c);
        }
        return channels;
    }

    /** Counts are whole numbers, though some exports write them as {@code 3.0}. */
    private static long parseCount(String text) {
        return new BigDecimal(text.strip()).longValueExact();
    }

    private static int required(List<String> names, String name, String source) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(source + ": header " + names + " lacks the column '" + name + "'");
        }
        return i;
    }
}
