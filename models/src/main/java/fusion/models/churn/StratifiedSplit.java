package fusion.models.churn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded train/test split that keeps the churn rate of both parts equal to the whole: each class
 * is shuffled on its own and the first {@code round(testShare * classSize)} rows go to the test set.
 *
 * @param train row indices for fitting, ascending
 * @param test  held-out row indices, ascending
 */
public record StratifiedSplit(int[] train, int[] test) {

    public StratifiedSplit {
        train = train.clone();
        test = test.clone();
    }

    @Override
    public int[] train() {
        return train.clone();
    }

    @Override
    public int[] test() {
        return test.clone();
    }

    /** Splits rows by their 0/1 label; the same seed always gives the same split. */
    public static StratifiedSplit of(int[] labels, double testShare, long seed) {
        if (!(testShare > 0 && testShare < 1)) {
            throw new IllegalArgumentException("testShare: expected in (0, 1) but was " + testShare);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int label = 0; label <= 1; label++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) {
                    rows.add(i);
                }
            }
            Collections.shuffle(rows, random);
            int cut = (int) Math.round(testShare * rows.size());
            test.addAll(rows.subList(0, cut));
            train.addAll(rows.subList(cut, rows.size()));
        }
        int[] tr = train.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] te = test.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new StratifiedSplit(tr, te);
    }

    /** The selected elements of a list, in index order. */
    public static <T> List<T> pick(List<T> all, int[] rows) {
        return Arrays.stream(rows).mapToObj(all::get).toList();
    }

    /** The selected elements of an int array, in index order. */
    public static int[] pick(int[] all, int[] rows) {
        return Arrays.stream(rows).map(i -> all[i]).toArray();
    }
}
