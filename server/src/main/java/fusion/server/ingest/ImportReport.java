package fusion.server.ingest;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an import did, over every run of it (a resumed import adds to its checkpoint's counts).
 *
 * @param lines      records read (blank lines are not counted)
 * @param accepted   calls newly logged
 * @param duplicates calls whose messageId was logged already
 * @param scored     accepted calls that became scored interactions
 * @param unknown    accepted track calls with an event name nothing maps
 * @param refused    lines refused, by the field that was wrong ({@code $} for a line that is not a JSON object)
 */
public record ImportReport(
        long lines, long accepted, long duplicates, long scored, long unknown, SortedMap<String, Long> refused) {
    public static final ImportReport EMPTY = new ImportReport(0, 0, 0, 0, 0, new TreeMap<>());

    public ImportReport {
        refused = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(refused));
    }

    public long refusedLines() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    ImportReport plus(ImportReport o) {
        TreeMap<String, Long> r = new TreeMap<>(refused);
        o.refused.forEach((k, v) -> r.merge(k, v, Long::sum));
        return new ImportReport(
                lines + o.lines,
                accepted + o.accepted,
                duplicates + o.duplicates,
                scored + o.scored,
                unknown + o.unknown,
                r);
    }

    /** The report as the command prints it. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "lines %,d: accepted %,d (scored %,d, unknown events %,d), duplicates %,d, refused %,d",
                lines, accepted, scored, unknown, duplicates, refusedLines()));
        for (Map.Entry<String, Long> e : refused.entrySet()) {
            b.append(String.format("%n  refused %,9d  %s", e.getValue(), e.getKey()));
        }
        return b.toString();
    }
}
