package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.engine.Relationship;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a reader sees of the waiting relationship states, worked by hand for one party. */
class SnapshotOverlayTest {
    private static Relationship state(String party, String brand, long events) {
        return new Relationship(party, brand, 1_000 * events, 1, 0, 0, 0, 0, 0, 0, 0, events, 0, 0);
    }

    private static Map<String, Map<String, Relationship>> change(String party, String brand, Relationship r) {
        Map<String, Relationship> states = new HashMap<>();
        states.put(brand, r);
        return Map.of(party, states);
    }

    private static Long events(Map<String, Relationship> seen, String brand) {
        Relationship r = seen.get(brand);
        return r == null ? null : r.events();
    }

    @Test
    void aReaderSeesTheNewestVersionItsSnapshotHolds() {
        SnapshotOverlay<Relationship> o = new SnapshotOverlay<>();
        o.publish(5, change("ana", "glitter", state("ana", "glitter", 1)));
        o.publish(9, change("ana", "glitter", state("ana", "glitter", 2)));
        o.publish(9, change("ana", "sparkle", state("ana", "sparkle", 7)));
        o.publish(12, change("ana", "glitter", null)); // removed by a merge

        // a snapshot older than every version: the table says
        assertThat(o.asOf("ana", 4)).isEmpty();
        // log rows up to 5..8: the first version of glitter, no sparkle yet
        assertThat(events(o.asOf("ana", 5), "glitter")).isEqualTo(1);
        assertThat(events(o.asOf("ana", 8), "glitter")).isEqualTo(1);
        assertThat(o.asOf("ana", 8)).doesNotContainKey("sparkle");
        // 9..11: both of commit 9
        assertThat(events(o.asOf("ana", 11), "glitter")).isEqualTo(2);
        assertThat(events(o.asOf("ana", 11), "sparkle")).isEqualTo(7);
        // from 12: glitter removed (present, null), sparkle still 7
        assertThat(o.asOf("ana", 12)).containsKey("glitter");
        assertThat(o.asOf("ana", 12).get("glitter")).isNull();
        assertThat(events(o.asOf("ana", 100), "sparkle")).isEqualTo(7);
        // the writer's own view is the newest of all; the table gets only the states present
        assertThat(o.newest("ana").get("glitter")).isNull();
        assertThat(o.newestStates()).extracting(Relationship::brand).containsExactly("sparkle");
        assertThat(o.versions()).isEqualTo(4);
        assertThat(o.asOf("bob", 100)).isEmpty();
    }

    /**
     * When a commit publishes to a party, its versions no read can need go first: one superseded
     * by a version of a commit every read under way holds (the last completed, with none). Worked
     * by hand for ana's two pairs, with a read that began after commit 10 and ends after 13.
     */
    @Test
    void aSupersededVersionStaysOnlyWhileAReadMayNeedIt() {
        SnapshotOverlay<Relationship> o = new SnapshotOverlay<>();
        commit(o, 5, "glitter", 1);
        commit(o, 9, "glitter", 2);
        assertThat(o.versions())
                .as("5's state stays until the next publication to ana: it was the newest when 9 was published")
                .isEqualTo(2);
        commit(o, 10, "sparkle", 1);
        assertThat(o.versions())
                .as("no read under way: 5's state, superseded by 9's, went")
                .isEqualTo(2);
        assertThat(o.pairs()).isEqualTo(2);

        Object read = o.enter(); // its snapshot holds commit 10 at least
        commit(o, 12, "glitter", 3);
        commit(o, 13, "sparkle", 2);
        assertThat(o.versions())
                .as("the read may still need 9's glitter and 10's sparkle")
                .isEqualTo(4);
        assertThat(events(o.asOf("ana", 10), "glitter")).isEqualTo(2);
        assertThat(events(o.asOf("ana", 10), "sparkle")).isEqualTo(1);
        assertThat(events(o.asOf("ana", 13), "glitter")).isEqualTo(3);
        o.exit(read);

        commit(o, 15, "glitter", 4);
        assertThat(o.versions())
                .as("9 and 10 went; 12 stays until 15 is the newest completed")
                .isEqualTo(3);
        assertThat(o.pairs()).isEqualTo(2);
        assertThat(events(o.asOf("ana", 13), "glitter")).isEqualTo(3);
        assertThat(events(o.asOf("ana", 15), "glitter")).isEqualTo(4);
        assertThat(events(o.asOf("ana", 15), "sparkle")).isEqualTo(2);
    }

    /** ana's pair {@code brand} at {@code events} events, published by commit {@code tag}, which then completes. */
    private static void commit(SnapshotOverlay<Relationship> o, long tag, String brand, long events) {
        o.publish(tag, change("ana", brand, state("ana", brand, events)));
        o.committed(tag);
    }

    @Test
    void droppingVersionsMovesTheGeneration() {
        SnapshotOverlay<Relationship> o = new SnapshotOverlay<>();
        long g0 = o.generation();
        o.publish(5, change("ana", "glitter", state("ana", "glitter", 1)));
        o.publish(9, change("ana", "glitter", state("ana", "glitter", 2)));
        assertThat(o.generation()).as("publishing drops nothing").isEqualTo(g0);

        o.retractAbove(5); // commit 9 failed
        assertThat(o.generation()).isNotEqualTo(g0);
        assertThat(events(o.asOf("ana", 100), "glitter"))
                .as("commit 5's state again")
                .isEqualTo(1);
        assertThat(o.versions()).isEqualTo(1);

        long g1 = o.generation();
        o.clear();
        assertThat(o.generation()).isNotEqualTo(g1);
        assertThat(o.isEmpty()).isTrue();
        assertThat(o.asOf("ana", 100)).isEmpty();
    }
}
