package fusion.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import fusion.core.model.InvalidInput;
import fusion.core.segment.SegmentMapping;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded, bounded, randomised fuzz run of the Segment parser and the mapping behind it: valid
 * batches mutated byte by byte and structurally. Whatever comes in, the only outcomes are a parsed
 * request or one of the two input exceptions, which name where the problem is.
 */
class SegmentParserFuzzTest {
    private static final String SEED_BATCH = """
        {"sentAt":"2026-11-24T10:00:00Z","batch":[
         {"type":"identify","messageId":"m1","userId":"ana","anonymousId":"a1","traits":{"name":"Ana","age":31},
          "timestamp":"2026-11-24T09:59:00Z"},
         {"type":"track","messageId":"m2","userId":"ana","event":"Order Completed","timestamp":"2026-11-24T09:59:30Z",
          "properties":{"brand":"glitter","revenue":120.5,"wow":true,"co_parties":["popstar"],"rating":4,
          "channel":"web","need_met":true,"wait_seconds":30,"reach":1000}},
         {"type":"page","messageId":"m3","anonymousId":"a1","name":"Home","properties":{"path":"/"}},
         {"type":"alias","messageId":"m4","previousId":"a1","userId":"ana"},
         {"type":"group","messageId":"m5","userId":"ana","groupId":"glitter","traits":{"name":"Glitter"}}
        ]}""";
    private static final String[] TOKENS = {
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "null",
        "true",
        "1e309",
        "-0",
        "\"type\"",
        "\"batch\"",
        "\"userId\"",
        "\\u0000",
        "\\ud800",
        "0.0000001",
        "\"\"",
        " ",
        "9".repeat(30)
    };

    static IntStream seeds() {
        return IntStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedBatchesAreParsedOrRefusedWithANamedProblemNeverAnythingElse(int seed) {
        Random r = new Random(seed);
        SegmentParser parser = new SegmentParser();
        SegmentMapping mapping = SegmentMapping.standard("own");
        Instant received = Instant.parse("2026-11-24T10:00:05Z");
        int parsed = 0;
        for (int i = 0; i < 500; i++) {
            byte[] input = mutate(r, SEED_BATCH.getBytes(StandardCharsets.UTF_8));
            try {
                var request = parser.batch(input, received);
                for (var call : request.calls()) mapping.map(call, "p");
                parsed++;
            } catch (InvalidInput e) {
                assertThat(e.field()).isNotBlank();
                assertThat(e.getMessage()).startsWith(e.field() + ": ");
            } catch (MalformedInput e) {
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException e) {
                fail(
                        "seed " + seed + ", case " + i + ": " + e + " for input: "
                                + new String(input, StandardCharsets.UTF_8),
                        e);
            }
        }
        assertThat(parsed)
                .as("some mutations still parse, so the fuzz reaches the mapping")
                .isPositive();
    }

    private static byte[] mutate(Random r, byte[] in) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            if (b.length == 0) b = new byte[] {'{'};
            switch (r.nextInt(5)) {
                case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length) + 1);
                case 2 -> {
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    int at = r.nextInt(s.length());
                    s = s.substring(0, at) + TOKENS[r.nextInt(TOKENS.length)] + s.substring(at);
                    b = s.getBytes(StandardCharsets.ISO_8859_1);
                }
                case 3 -> {
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    int from = r.nextInt(s.length());
                    int to = Math.min(s.length(), from + r.nextInt(20));
                    b = (s.substring(0, from) + s.substring(to)).getBytes(StandardCharsets.ISO_8859_1);
                }
                default -> {
                    String s = new String(b, StandardCharsets.UTF_8);
                    b = s.replaceFirst("\"" + pick(r) + "\"", "\"" + pick(r) + "\"")
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        return b;
    }

    private static String pick(Random r) {
        String[] fields = {
            "type",
            "userId",
            "event",
            "properties",
            "revenue",
            "timestamp",
            "batch",
            "traits",
            "messageId",
            "co_parties",
            "channel",
            "track",
            "identify",
            "previousId",
            "rating"
        };
        return fields[r.nextInt(fields.length)];
    }
}
