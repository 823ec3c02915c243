package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The entries a move writes go in key order (owner, second key, seq), which {@link
 * SortedRuns#inKeyOrder} reaches by grouping by owner: held to a plain sort of the whole list by
 * that key, written here, over seeded random entries in seq order (owners from a pool of a few to
 * many, times out of order, brands as second keys).
 */
class KeyOrderTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void groupingByOwnerGivesTheKeyOrder(long seed) {
        Random r = new Random(seed);
        int owners = 1 + r.nextInt(seed % 2 == 0 ? 5 : 3_000);
        boolean brands = seed % 3 == 0;
        List<RecentEntries.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String owner = "p" + r.nextInt(owners);
            Object second = brands ? (Object) ("b" + r.nextInt(4)) : (Object) (long) (i * 10 - r.nextInt(5_000));
            entries.add(new RecentEntries.Entry(owner, second, i + 1));
        }
        Comparator<RecentEntries.Entry> byKey = Comparator.comparing(RecentEntries.Entry::owner)
                .thenComparing(e -> e.second() instanceof Long l
                        ? String.format("%020d", l + (1L << 40))
                        : e.second().toString())
                .thenComparingLong(RecentEntries.Entry::seq);
        List<RecentEntries.Entry> expected = new ArrayList<>(entries);
        expected.sort(byKey);
        assertThat(SortedRuns.inKeyOrder(entries)).containsExactlyElementsOf(expected);
    }
}
