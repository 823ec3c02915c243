package fusion.server.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.TreeMap;

/**
 * Writes a seeded NDJSON file of Segment calls with bad lines in it, and keeps its own count of
 * what an import must report: the oracle the import tests compare with. Every kind of fault is
 * planted at lines the generator chooses, and its expected field is written down here, not asked
 * of the code under test.
 */
final class ImportFiles {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    /** What a correct import of the generated file reports. */
    static final class Expected {
        long lines;
        long accepted;
        long duplicates;
        long blank;
        final TreeMap<String, Long> refused = new TreeMap<>();
        final TreeMap<Long, String> badLines = new TreeMap<>();

        void refuse(long line, String field) {
            refused.merge(field, 1L, Long::sum);
            badLines.put(line, field);
        }
    }

    private ImportFiles() {}

    /** {@code n} lines (blank lines included), seeded; about one line in 97 is bad, one in 89 repeats an id. */
    static Expected write(Path file, int n, long seed) throws IOException {
        Random r = new Random(seed);
        Expected e = new Expected();
        String[] events = {"Product Viewed", "Order Completed", "Product Added", "Ticket Created", "Wondered"};
        long previousId = -1;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long line = 1; line <= n; line++) {
                String user = "u" + r.nextInt(5_000);
                String at = NOW.minusSeconds(86_400L * 120 - line * 7).toString();
                String id = "m" + line;
                int fault = r.nextInt(97);
                String text;
                if (line % 89 == 0 && previousId > 0) {
                    // the same messageId as an earlier good line: a duplicate, whatever it says
                    text = "{\"type\":\"track\",\"messageId\":\"m" + previousId + "\",\"userId\":\"" + user
                            + "\",\"event\":\"Product Viewed\",\"timestamp\":\"" + at + "\"}";
                    e.lines++;
                    e.duplicates++;
                } else if (line % 500 == 0) {
                    text = line % 1000 == 0 ? "" : "   ";
                    e.blank++;
                } else if (fault == 0) {
                    text = "{\"type\":\"track\",\"messageId\":\"" + id
                            + "\",\"event\":\"Product Viewed\",\"timestamp\":\"" + at + "\"}";
                    e.lines++;
                    e.refuse(line, "userId");
                } else if (fault == 1) {
                    text = "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\",";
                    e.lines++;
                    e.refuse(line, "$ (malformed JSON)");
                } else if (fault == 2) {
                    text = "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"userId\":\"" + user
                            + "\",\"event\":\"Order Completed\",\"timestamp\":\"17/3\"}";
                    e.lines++;
                    e.refuse(line, "timestamp");
                } else if (fault == 3) {
                    // well-formed, but the mapping refuses it: found by the store's check, inside a batch
                    text = "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"userId\":\"" + user
                            + "\",\"event\":\"Order Completed\",\"timestamp\":\"" + at
                            + "\",\"properties\":{\"revenue\":\"abc\"}}";
                    e.lines++;
                    e.refuse(line, "properties.revenue");
                } else if (fault == 4) {
                    text = "{\"type\":\"bogus\",\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\"}";
                    e.lines++;
                    e.refuse(line, "type");
                } else if (fault == 5) {
                    text = "[1, 2, 3]";
                    e.lines++;
                    e.refuse(line, "$");
                } else if (fault < 12) {
                    text = "{\"type\":\"identify\",\"messageId\":\"" + id + "\",\"userId\":\"" + user
                            + "\",\"anonymousId\":\"a" + r.nextInt(8_000) + "\",\"timestamp\":\"" + at
                            + "\",\"traits\":{\"plan\":\"gold\"}}";
                    e.lines++;
                    e.accepted++;
                    previousId = line;
                } else {
                    String event = events[r.nextInt(events.length)];
                    String props = event.equals("Order Completed")
                            ? ",\"properties\":{\"revenue\":" + (1 + r.nextInt(300)) + ".5}"
                            : "";
                    text = "{\"type\":\"track\",\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\",\"event\":\""
                            + event + "\",\"timestamp\":\"" + at + "\"" + props + "}";
                    e.lines++;
                    e.accepted++;
                    previousId = line;
                }
                w.write(text);
                w.write(line % 3 == 0 ? "\r\n" : "\n");
            }
        }
        return e;
    }
}
