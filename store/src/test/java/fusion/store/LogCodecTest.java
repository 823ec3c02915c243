package fusion.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.segment.SegmentCall;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log's record format must not change: replay and the digests depend on it byte for byte. */
class LogCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The encoder as it was (a JSON tree, then text), kept here as the reference. */
    private static String treeEncode(SegmentCall c) throws Exception {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", c.type().wireName());
        n.put("messageId", c.messageId());
        for (String[] f : new String[][] {
            {"userId", c.userId()},
            {"anonymousId", c.anonymousId()},
            {"event", c.event()},
            {"name", c.name()},
            {"groupId", c.groupId()},
            {"previousId", c.previousId()}
        }) {
            if (f[1] != null) n.put(f[0], f[1]);
        }
        if (!c.properties().isEmpty()) n.set("properties", JSON.valueToTree(c.properties()));
        if (!c.traits().isEmpty()) n.set("traits", JSON.valueToTree(c.traits()));
        if (!c.context().isEmpty()) n.set("context", JSON.valueToTree(c.context()));
        n.put("timestamp", c.timestamp().toString());
        n.put("receivedAt", c.receivedAt().toString());
        return JSON.writeValueAsString(n);
    }

    @Test
    void theStreamedRecordIsTheTextTheTreeEncoderWrote() throws Exception {
        List<SegmentCall> calls = new ArrayList<>(Calls.random(7, 2_000));
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("nested", Map.of("list", Arrays.asList(1, 2.5, null, "x\u00e9\u2028\"\\", true)));
        odd.put("big", new BigInteger("123456789012345678901234567890"));
        odd.put("long", 1L << 40);
        odd.put("tiny", 1e-7);
        odd.put("nothing", null);
        Instant t = Instant.parse("2026-03-01T00:00:00.123456Z");
        calls.add(new SegmentCall(
                SegmentCall.Type.TRACK,
                "odd",
                "u\u0000v",
                null,
                "Order Completed",
                null,
                null,
                null,
                odd,
                Map.of(),
                Map.of("ip", "1.2.3.4", "page", Map.of("url", "https://x/?a=1&b=<2>")),
                t,
                t));
        for (SegmentCall c : calls) {
            String record = LogCodec.encode(c);
            assertThat(record).isEqualTo(treeEncode(c));
            assertThat(LogCodec.encode(LogCodec.decode(record))).isEqualTo(record);
        }
    }
}
