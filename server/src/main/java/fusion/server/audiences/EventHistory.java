package fusion.server.audiences;

import fusion.core.model.Interaction;
import fusion.core.model.Purpose;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One person's scored interactions in log order, holding only what the audience facts read
 * ({@link Fact}): each interaction's instant, purpose, brand (with its competitor flag) and contact
 * point (with its channel). They are kept in primitive arrays, about 25 bytes an interaction,
 * instead of the {@link Interaction} itself, about 740 bytes in eleven objects (a heap histogram
 * of the server under the load driver, 2026-12-07). The audience service holds every person's
 * history for as long as an audience is defined, so what each interaction costs there is what the
 * heap grows by per event, and every interaction it held as objects was copied by each young
 * collection until it was old enough to be promoted: most of what a young pause copied under
 * ingest (docs/STORAGE.md, "Profile reads").
 *
 * <p>Brands and contact points are numbered by a {@link Codes} shared by every history of one
 * service, so their text is kept once.
 */
final class EventHistory {
    /** The numbering of brands and contact points, shared by the histories of one service. */
    static final class Codes {
        private final Map<Key, Integer> codes = new HashMap<>();
        private String[] ids = new String[16];
        private String[] others = new String[16];
        private boolean[] flags = new boolean[16];
        private int size;

        private record Key(boolean brand, String id, String other, boolean flag) {}

        private int code(boolean brand, String id, String other, boolean flag) {
            return codes.computeIfAbsent(new Key(brand, id, other, flag), k -> {
                if (size == ids.length) {
                    ids = Arrays.copyOf(ids, size * 2);
                    others = Arrays.copyOf(others, size * 2);
                    flags = Arrays.copyOf(flags, size * 2);
                }
                ids[size] = id;
                others[size] = other;
                flags[size] = flag;
                return size++;
            });
        }
    }

    private static final Purpose[] PURPOSES = Purpose.values();

    private final Codes codes;
    private long[] seconds = new long[4];
    private int[] nanos = new int[4];
    private byte[] purposes = new byte[4];
    private int[] brands = new int[4];
    private int[] points = new int[4];
    private int size;

    EventHistory(Codes codes) {
        this.codes = codes;
    }

    /** A history of {@code interactions}, in their order, with codes of its own (tests, one-off evaluations). */
    static EventHistory of(List<Interaction> interactions) {
        EventHistory h = new EventHistory(new Codes());
        interactions.forEach(h::add);
        return h;
    }

    void add(Interaction i) {
        if (size == seconds.length) {
            int n = size * 2;
            seconds = Arrays.copyOf(seconds, n);
            nanos = Arrays.copyOf(nanos, n);
            purposes = Arrays.copyOf(purposes, n);
            brands = Arrays.copyOf(brands, n);
            points = Arrays.copyOf(points, n);
        }
        seconds[size] = i.time().getEpochSecond();
        nanos[size] = i.time().getNano();
        purposes[size] = (byte) i.purpose().ordinal();
        brands[size] = codes.code(true, i.brand().id(), null, i.brand().competitor());
        points[size] = codes.code(
                false, i.contactPoint().id(), i.contactPoint().channel().label(), false);
        size++;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The {@code k}-th interaction's instant. */
    Instant time(int k) {
        return Instant.ofEpochSecond(seconds[k], nanos[k]);
    }

    /** The {@code k}-th interaction's instant compared with {@code t}, as {@link Instant#compareTo} (without making an Instant). */
    int compareTime(int k, Instant t) {
        int c = Long.compare(seconds[k], t.getEpochSecond());
        return c != 0 ? c : Integer.compare(nanos[k], t.getNano());
    }

    /** The {@code j}-th interaction's instant compared with the {@code k}-th's. */
    int compareTimes(int j, int k) {
        int c = Long.compare(seconds[j], seconds[k]);
        return c != 0 ? c : Integer.compare(nanos[j], nanos[k]);
    }

    Purpose purpose(int k) {
        return PURPOSES[purposes[k]];
    }

    String brand(int k) {
        return codes.ids[brands[k]];
    }

    boolean competitor(int k) {
        return codes.flags[brands[k]];
    }

    String contactPoint(int k) {
        return codes.ids[points[k]];
    }

    String channel(int k) {
        return codes.others[points[k]];
    }
}
