package fusion.analytics.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test paths: literal ones and seeded random ones. */
final class Paths {

    private Paths() {}

    static ConversionPath path(String path, long conversions, String value, long nulls) {
        return new ConversionPath(PathsFile.parsePath(path), conversions, new BigDecimal(value), nulls);
    }

    /** The toy example of the data README. */
    static List<ConversionPath> toy() {
        return List.of(path("C1 > C2 > C3", 1, "5", 0), path("C1", 0, "0", 1), path("C2 > C3", 0, "0", 1));
    }

    /** Random paths over {@code channels} channels, with repeats, conversions and nulls. */
    static List<ConversionPath> random(long seed, int count, int channels) {
        Random rng = new Random(seed);
        List<ConversionPath> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = 1 + rng.nextInt(6);
            List<String> touches = new ArrayList<>();
            for (int t = 0; t < length; t++) {
                touches.add("c" + rng.nextInt(channels));
            }
            long conversions = rng.nextInt(3);
            long nulls = rng.nextInt(4);
            BigDecimal value = BigDecimal.valueOf(rng.nextInt(100_000), 3).multiply(BigDecimal.valueOf(conversions));
            out.add(new ConversionPath(touches, conversions, value, nulls));
        }
        return out;
    }
}
