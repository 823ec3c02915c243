package fusion.analytics.attribution;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Seeded synthetic journeys for scale runs, one journey per line in the layout of {@code paths.csv}.
 * Journeys walk a random first-order chain over {@code channels} channels whose transition and
 * conversion probabilities are themselves drawn from the seed, so some channels matter more than
 * others; about one journey in five converts.
 */
public final class SyntheticPaths {

    private SyntheticPaths() {}

    public static void write(Path file, long journeys, int channels, long seed) {
        Random rng = new Random(seed);
        double[][] next = new double[channels][channels];
        double[] convert = new double[channels];
        double[] stop = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int d = 0; d < channels; d++) {
                next[c][d] = Math.pow(rng.nextDouble(), 3);
                sum += next[c][d];
            }
            for (int d = 0; d < channels; d++) {
                next[c][d] /= sum;
            }
            convert[c] = 0.02 + 0.12 * rng.nextDouble();
            stop[c] = 0.15 + 0.25 * rng.nextDouble();
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("path;total_conversions;total_conversion_value;total_null\n");
            StringBuilder line = new StringBuilder();
            for (long j = 0; j < journeys; j++) {
                line.setLength(0);
                int c = rng.nextInt(channels);
                line.append("ch").append(c);
                int outcome;
                while (true) {
                    double u = rng.nextDouble();
                    if (u < convert[c]) {
                        outcome = 1;
                        break;
                    }
                    if (u < convert[c] + stop[c]) {
                        outcome = 0;
                        break;
                    }
                    c = sample(next[c], rng);
                    line.append(" > ch").append(c);
                }
                line.append(';').append(outcome).append(';');
                line.append(outcome == 1 ? (1 + rng.nextInt(20_000)) / 100.0 : 0)
                        .append(';')
                        .append(1 - outcome);
                out.write(line.append('\n').toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic paths to " + file, e);
        }
    }

    private static int sample(double[] p, Random rng) {
        double u = rng.nextDouble();
        for (int i = 0; i < p.length - 1; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
