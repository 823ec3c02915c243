package fusion.models.btyd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The public reference data sets in {@code shared/data/} next to the project, found by walking up
 * from the working directory, so tests, reports and benchmarks run from any module directory.
 */
public final class ReferenceData {
  private ReferenceData() {}

  /**
   * {@code shared/data/<relative>} in the nearest ancestor of the working directory that has it.
   */
  public static Path locate(String relative) {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("data").resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("reference data: no shared/data/" + relative
        + " in " + dir + " or any parent; the data lives in ../shared/data/ beside the project");
  }

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
        out.add(new BgBb.Pattern(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
            Integer.parseInt(f[2]), Math.round(Double.parseDouble(f[3]))));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("donations: cannot read " + file, e);
    }
  }
}
