package fusion.bench.reports;

import fusion.models.data.DataFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates {@code datasets/survey/customer_satisfaction.csv}: 1,811 answers to ten questions on a
 * 1-10 scale, q1 overall satisfaction and q2..q10 its drivers. It replaces a survey file whose source
 * and licence could not be established, so the data set is the project's own (Apache-2.0).
 *
 * <p>The structure is known, which is what makes it a check: each respondent has a general mood
 * {@code g ~ N(0, 1)}; each driver answer is {@code 6 + 1.8 (0.6 g + 0.8 e_j)}, {@code e_j ~ N(0, 1)}
 * (so drivers correlate at 0.36, as survey items do); q1 is
 * {@code 1.2 + sum_j BETA_j q_j + N(0, 1)}, with {@link #BETA} below. Every answer is rounded and
 * clipped to 1..10. The driver analysis must rank q4 and q6 (the two largest coefficients) above
 * the rest and give q9 (coefficient 0) a standardised beta near zero.
 *
 * <pre>java -cp bench/target/benchmarks.jar fusion.bench.reports.SurveyGenerator [out.csv]</pre>
 */
public final class SurveyGenerator {

    /** The true effect of one point of each driver on q1, in the order q2..q10. */
    static final List<Double> BETA = List.of(0.12, 0.05, 0.35, 0.05, 0.30, 0.12, 0.03, 0.0, 0.03);

    static final int RESPONDENTS = 1811;
    static final long SEED = 1811L;

    private SurveyGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out = args.length > 0
                ? Path.of(args[0])
                : DataFiles.projectRoot().resolve("datasets/survey/customer_satisfaction.csv");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, csv(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    static String csv() {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder csv =
                new StringBuilder("\"q1\",\"q2\",\"q3\",\"q4\",\"q5\",\"q6\",\"q7\",\"q8\",\"q9\",\"q10\"\n");
        for (int r = 0; r < RESPONDENTS; r++) {
            double g = gaussian(random);
            int[] q = new int[BETA.size()];
            double overall = 1.2 + gaussian(random);
            for (int j = 0; j < q.length; j++) {
                q[j] = answer(6 + 1.8 * (0.6 * g + 0.8 * gaussian(random)));
                overall += BETA.get(j) * q[j];
            }
            csv.append(answer(overall));
            for (int a : q) {
                csv.append(',').append(a);
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    private static int answer(double x) {
        return (int) Math.max(1, Math.min(10, Math.round(x)));
    }

    /** A standard normal draw (Box-Muller), so the file depends on nothing but the seed. */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
