package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window against a plain map of every event added: for any messageId, the sequence numbers it
 * gives are exactly those of the events with that messageId among the newest {@code size}, through
 * gaps in the numbering, rollbacks (with a reload when they undo more than the slack), and the
 * table's growth, wrap-around and deletions.
 */
class MessageIdWindowTest {
    static Stream<Arguments> runs() {
        int[][] shapes = {{1, 0}, {7, 5}, {100, 64}, {1_000, 0}, {1_000, 300}, {3, 2_000}};
        return IntStream.range(0, 12).mapToObj(seed -> {
            int[] shape = shapes[seed % shapes.length];
            return Arguments.of(seed, shape[0], shape[1]);
        });
    }

    @ParameterizedTest(name = "seed {0}, window {1}, slack {2}")
    @MethodSource("runs")
    @DisplayName("issue 18 duplicates: the window gives exactly the newest events' sequence numbers of a messageId")
    void theWindowMatchesAPlainMap(int seed, int size, int slack) {
        Random r = new Random(seed);
        MessageIdWindow w = new MessageIdWindow(size, slack);
        TreeMap<Long, String> log = new TreeMap<>(); // every event added and not rolled back
        List<String> ids = new ArrayList<>();
        long newest = 0;
        int reloads = 0, checked = 0, found = 0;
        for (int op = 0; op < 20_000; op++) {
            int kind = r.nextInt(100);
            if (kind < 70) {
                long seq = newest + 1 + (r.nextInt(20) == 0 ? r.nextInt(50) : 0);
                String id = ids.isEmpty() || r.nextInt(4) > 0 ? "m-" + r.nextLong() : ids.get(r.nextInt(ids.size()));
                ids.add(id);
                w.add(id, seq);
                log.put(seq, id);
                newest = seq;
            } else if (kind < 71) {
                long from = Math.max(1, newest - r.nextInt(Math.min(slack + 40, 100)));
                log.tailMap(from, true).clear();
                if (!w.truncateFrom(from)) {
                    // what the writer does: read the window back from the log (MessageIdWindow#load)
                    w.clear();
                    for (var e : log.tailMap(from - 1 - size, false).entrySet()) w.add(e.getValue(), e.getKey());
                    w.loaded(from - 1);
                    reloads++;
                }
                newest = from - 1;
            } else {
                // mostly the newest ids (in the window or just out of it), some older, some never added
                int pick = r.nextInt(10);
                String id = ids.isEmpty() || pick == 0
                        ? "absent-" + r.nextLong()
                        : pick < 8
                                ? ids.get(ids.size() - 1 - r.nextInt(Math.min(ids.size(), size + 20)))
                                : ids.get(r.nextInt(ids.size()));
                TreeSet<Long> expected = new TreeSet<>();
                for (var e : log.tailMap(newest - size, false).entrySet()) {
                    if (e.getValue().equals(id)) expected.add(e.getKey());
                }
                TreeSet<Long> got = new TreeSet<>();
                w.candidates(id, got::add);
                assertThat(got).as("op %d: %s", op, id).isEqualTo(expected);
                checked++;
                if (!expected.isEmpty()) found++;
            }
            assertThat(w.kept()).isLessThanOrEqualTo(size + slack + 1 + 50);
        }
        assertThat(checked).isGreaterThan(4_000);
        assertThat(found).as("lookups that found an event").isGreaterThan(size < 10 ? 10 : 300);
        if (slack < 40) assertThat(reloads).as("rollbacks past the slack").isPositive();
    }

    @Test
    @DisplayName("issue 18 duplicates: an event leaves the window when the size-th newer one arrives, by number")
    void anEventLeavesTheWindowByNumber() {
        MessageIdWindow w = new MessageIdWindow(3, 0);
        w.add("a", 1);
        w.add("b", 2);
        w.add("c", 3);
        assertThat(seqs(w, "a")).containsExactly(1L);
        w.add("d", 4); // 2, 3, 4
        assertThat(seqs(w, "a")).isEmpty();
        assertThat(seqs(w, "b")).containsExactly(2L);
        w.add("e", 10); // a gap: only 8, 9, 10 are in the window
        assertThat(seqs(w, "b")).isEmpty();
        assertThat(seqs(w, "d")).isEmpty();
        assertThat(seqs(w, "e")).containsExactly(10L);
        assertThat(w.kept()).isEqualTo(1);
    }

    @Test
    @DisplayName("issue 18 duplicates: a rollback within the slack keeps what the window must hold again")
    void aRollbackWithinTheSlackKeepsTheWindow() {
        MessageIdWindow w = new MessageIdWindow(2, 2);
        w.add("a", 1);
        w.add("b", 2);
        w.add("c", 3);
        w.add("d", 4); // the window is 3, 4; a and b are kept for a rollback
        assertThat(seqs(w, "a")).isEmpty();
        assertThat(w.truncateFrom(3)).isTrue();
        assertThat(seqs(w, "a")).containsExactly(1L);
        assertThat(seqs(w, "b")).containsExactly(2L);
        assertThat(seqs(w, "c")).isEmpty();
        w.add("x", 3);
        w.add("y", 4);
        w.add("z", 5); // pushes 1 out of the queue: a rollback of 3 events can no longer restore it
        assertThat(w.truncateFrom(3)).isFalse();
    }

    @Test
    @DisplayName("issue 18 duplicates: a window outside 1 to 8,000,000 is refused, naming the setting")
    void aWindowOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new MessageIdWindow(0)).hasMessage("dedupWindow: expected 1 to 8000000 but was 0");
        assertThatThrownBy(() -> new MessageIdWindow(8_000_001)).hasMessageContaining("dedupWindow");
    }

    private static List<Long> seqs(MessageIdWindow w, String id) {
        List<Long> out = new ArrayList<>();
        w.candidates(id, out::add);
        return out;
    }
}
