package fusion.models.btyd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the BG/BB pattern file of the reference data ({@code cdnow/donations.csv}); where the data
 * lives is {@link fusion.models.data.DataFiles}'s business.
 */
public final class ReferenceData {
    private ReferenceData() {}

    /** The BG/BB donations patterns: a header, then {@code frequency,recency,periods,weight}. */
    public static List<BgBb.Pattern> donations(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<BgBb.Pattern> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.trim().split(",");
                out.add(new BgBb.Pattern(
                        Integer.parseInt(f[0]),
                        Integer.parseInt(f[1]),
                        Integer.parseInt(f[2]),
                        Math.round(Double.parseDouble(f[3]))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("donations: cannot read " + file, e);
        }
    }
}
