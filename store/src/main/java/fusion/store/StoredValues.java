package fusion.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reading an enum back from the text the store keeps. The schema keeps the lower-case words it
 * always had (so stored data, and every digest over it, stay the same); a word that names no
 * constant means the database was written by something else, and the refusal names the column, the
 * word and what would have been accepted.
 */
final class StoredValues {
    private StoredValues() {}

    static <E extends Enum<E>> E parse(Class<E> type, String column, String stored, Function<E, String> label) {
        for (E e : type.getEnumConstants()) {
            if (label.apply(e).equals(stored)) return e;
        }
        throw new IllegalStateException(column + ": expected one of "
                + Arrays.stream(type.getEnumConstants()).map(label).toList() + " but the store holds "
                + (stored == null ? "null" : "'" + stored + "'"));
    }

    static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
