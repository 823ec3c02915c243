package fusion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fusion.store.JsonValues;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parser's shortcuts give what the serialising versions gave. */
class SegmentParserParseOnceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStreamedObjectBecomesTheMapConvertValueMadeOfItsTree() throws Exception {
        String text = "{\"a\":1,\"b\":3000000000,\"c\":123456789012345678901234567890,\"d\":1.5,"
                + "\"e\":1e-7,\"f\":null,\"g\":[1,\"x\",{\"h\":true}],\"i\":{\"j\":{\"k\":-0.0}},\"l\":\"\\u00e9\\n\","
                + "\"m\":1e309,\"n\":-0}";
        JsonNode n = JSON.readTree(text);
        Map<String, Object> expected = JSON.convertValue(n, new TypeReference<Map<String, Object>>() {});
        Map<String, Object> streamed;
        try (JsonParser p = JSON.getFactory().createParser(text)) {
            p.nextToken();
            streamed = JsonValues.object(p);
        }
        assertThat(streamed).isEqualTo(expected);
        assertThat(streamed.toString()).isEqualTo(expected.toString());
    }

    @Test
    void aCallsCompactFormIsNeverMoreThanSixAndAQuarterTimesItsText() throws Exception {
        Random r = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder s = new StringBuilder("{\"p\":{");
            int fields = r.nextInt(20);
            for (int f = 0; f < fields; f++) {
                if (f > 0) s.append(',');
                s.append("\"k").append(f).append("\\u00e9\":");
                switch (r.nextInt(6)) {
                    case 0 -> s.append(r.nextDouble() * 1e300);
                    case 1 -> s.append(r.nextLong());
                    case 2 ->
                        s.append("\"")
                                .append("\\u0001\\\"x\\ud83d\\ude00\\/".repeat(r.nextInt(5)))
                                .append('"');
                    case 3 -> s.append("[true,null,").append(r.nextInt()).append(']');
                    case 4 -> s.append("[1e2,2e-9,3e+5,1e309,-1E-300]");
                    default -> s.append("{\"z\":-1e-300}");
                }
            }
            String text = s.append("}}").toString();
            JsonNode n = JSON.readTree(text);
            assertThat(JSON.writeValueAsBytes(n).length * 4L).isLessThanOrEqualTo(25L * text.length());
        }
    }
}
